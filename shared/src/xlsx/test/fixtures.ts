/**
 * .xlsx fixtures built in code with exceljs — a different library from the one under test (SheetJS
 * reads them) — shaped like the files stations get from their bureau (issue #15 §1).
 */
import ExcelJS from 'exceljs'

async function bytes(wb: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await wb.xlsx.writeBuffer())
}

export const MONTHS = ['1月', '2月', '3月']

/**
 * A bureau template: a merged title row, a two-row merged header (站点名称 and 覆盖率 span both rows,
 * "2024年" spans the months), 万元 / % / date formats, a formula with its cached value, a hidden
 * column and row, rich text, a merged body cell, and a trailing 合计 row.
 */
export async function bureauTemplate(options: { date1904?: boolean } = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  if (options.date1904) wb.properties.date1904 = true
  wb.title = '服务台账'
  const ws = wb.addWorksheet('2024年服务台账')
  ws.addRow(['XX区社工站服务台账（2024年）'])
  ws.mergeCells('A1:H1')
  ws.addRow(['站点名称', '街道', '2024年', '', '', '覆盖率', '投入资金', '建站日期'])
  ws.addRow(['', '', ...MONTHS, '', '', ''])
  ws.mergeCells('A2:A3')
  ws.mergeCells('B2:B3')
  ws.mergeCells('C2:E2')
  ws.mergeCells('F2:F3')
  ws.mergeCells('G2:G3')
  ws.mergeCells('H2:H3')
  const rows: [string, string, number, number, number, number, number, Date][] = [
    ['殷行街道社工站', '殷行街道', 120, 98, 143, 0.637, 276, new Date(Date.UTC(2021, 4, 24))],
    ['朝歌街道社工站', '朝歌街道', 45, 51, 60, 1, 94, new Date(Date.UTC(2022, 0, 1))],
    ['桥盟街道社工站', '桥盟街道', 30, 0, 28, 0.5, 10.5, new Date(Date.UTC(2020, 1, 29))],
    ['灵山街道社工站', '灵山街道', 17, 48, 12, 0.25, 153, new Date(Date.UTC(2023, 11, 31))],
  ]
  for (const r of rows) ws.addRow(r)
  // A formula with its cached value; rich text; a hidden row; the 街道 of rows 6–7 merged.
  ws.getCell('E7').value = { formula: 'C7+3', result: 20 }
  ws.getCell('A6').value = {
    richText: [{ text: '桥盟', font: { bold: true } }, { text: '街道社工站' }],
  }
  ws.getRow(7).hidden = true
  ws.mergeCells('B6:B7')
  ws.addRow(['合计', '', { formula: 'SUM(C4:C7)', result: 212 }, 197, 243, '', 533.5, ''])
  for (const c of ['C', 'D', 'E']) ws.getColumn(c).numFmt = '#,##0'
  ws.getColumn('F').numFmt = '0.0%'
  ws.getColumn('G').numFmt = '0.00"万元"'
  ws.getColumn('H').numFmt = 'yyyy"年"m"月"d"日"'
  ws.getColumn('D').hidden = true
  const second = wb.addWorksheet('志愿者')
  second.addRow(['姓名', '服务时长', '在册'])
  second.addRow(['张三', 12.5, true])
  second.addRow(['李四', '—', false])
  return bytes(wb)
}

/**
 * Date serials as Excel stores them, one row per case of the 1900 leap-year bug (serial 60 is the
 * nonexistent 1900-02-29) and of the 1904 system (serial 0 is 1904-01-01). Written as numbers with
 * a date format, since exceljs converts a `Date` before March 1900 without Excel's bug.
 */
export const SERIALS_1900: [number, string][] = [
  [1, '1900-01-01'],
  [59, '1900-02-28'],
  [60, '1900-02-29'],
  [61, '1900-03-01'],
  [45436, '2024-05-24'],
]
export const SERIALS_1904: [number, string][] = [
  [0, '1904-01-01'],
  [43974, '2024-05-24'],
]

export async function dateSerials(date1904: boolean): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  if (date1904) wb.properties.date1904 = true
  const ws = wb.addWorksheet('日期')
  ws.addRow(['序号', '日期'])
  for (const [serial] of date1904 ? SERIALS_1904 : SERIALS_1900) ws.addRow([serial, serial])
  ws.getColumn(2).numFmt = 'yyyy-mm-dd'
  return bytes(wb)
}

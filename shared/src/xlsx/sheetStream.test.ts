import { describe, expect, it } from 'vitest'
import { describeRefusal } from '../csv/messages.js'
import { openXlsx, type XlsxBook } from './readXlsx.js'
import { readWorksheet } from './sheetTable.js'
import { writeZip, type ZipPart } from './test/zipBytes.js'

/**
 * The streaming reader (`xmlParts.ts`, `sheetStream.ts`) on parts written by hand in the shapes
 * real writers produce and the exceljs-made fixtures do not: a namespace prefix on every element
 * (some generators), rich text with phonetic guides, inline strings, `_x000D_` escapes, shared
 * formulas, hidden rows and columns, East Asian built-in date formats (Excel zh-CN's id 57/58, WPS's
 * id 14 with a custom 年月日 code), cells without `r`, an absolute relationship target.
 */
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'

function book(sheetXml: string, extra: { strings?: string; styles?: string } = {}): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      data: '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    },
    {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `<x:workbook xmlns:x="${NS}" xmlns:r="${REL}"><x:workbookPr/><x:sheets><x:sheet name="台账" sheetId="1" r:id="rId1"/><x:sheet name="隐藏" sheetId="2" state="hidden" r:id="rId2"/></x:sheets></x:workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId4" Type="${REL}/styles" Target="styles.xml"/></Relationships>`,
    },
    { name: 'xl/worksheets/sheet1.xml', data: sheetXml },
    {
      name: 'xl/worksheets/sheet2.xml',
      data: `<x:worksheet xmlns:x="${NS}"><x:sheetData/></x:worksheet>`,
    },
    { name: 'xl/sharedStrings.xml', data: extra.strings ?? `<sst xmlns="${NS}"/>` },
    { name: 'xl/styles.xml', data: extra.styles ?? `<styleSheet xmlns="${NS}"/>` },
  ]
}

async function open(parts: ZipPart[]): Promise<XlsxBook> {
  const r = await openXlsx(writeZip(parts))
  if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
  return r.book
}

const STRINGS = `<x:sst xmlns:x="${NS}" count="5" uniqueCount="5">
<x:si><x:t>站点名称</x:t></x:si>
<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>日期</x:t></x:r><x:r><x:t xml:space="preserve"> </x:t></x:r><x:rPh sb="0" eb="2"><x:t>リツ</x:t></x:rPh></x:si>
<x:si><x:t>人次</x:t></x:si>
<x:si><x:r><x:t>阳光</x:t></x:r><x:r><x:rPr><x:i/></x:rPr><x:t>站</x:t></x:r></x:si>
<x:si><x:t>第一行_x000D_
第二行</x:t></x:si>
</x:sst>`

// Style 1: built-in 57 (Excel zh-CN "yyyy年m月"); 2: WPS-style custom 年月日 code; 3: built-in 10
// (0.00%); 4: custom 万元; 5: built-in 20 (h:mm).
const STYLES = `<styleSheet xmlns="${NS}"><numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="177" formatCode="0.00&quot;万元&quot;"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="9"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="57" applyNumberFormat="1"/><xf numFmtId="176"/><xf numFmtId="10"/><xf numFmtId="177"/><xf numFmtId="20"/></cellXfs></styleSheet>`

const SHEET = `<x:worksheet xmlns:x="${NS}"><x:dimension ref="A1:F6"/>
<x:cols><x:col min="5" max="5" hidden="1" width="0"/></x:cols>
<x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>占比</x:t></x:is></x:c><x:c r="E1" t="inlineStr"><x:is><x:r><x:t>资金</x:t></x:r></x:is></x:c><x:c r="F1" t="str"><x:v>备注</x:v></x:c></x:row>
<x:row r="2"><x:c r="A2" t="s"><x:v>3</x:v></x:c><x:c r="B2" s="1"><x:v>45307</x:v></x:c><x:c r="C2"><x:f t="shared" ref="C2:C4" si="0">D2*100</x:f><x:v>120</x:v></x:c><x:c r="D2" s="3"><x:v>0.637</x:v></x:c><x:c r="E2" s="4"><x:v>276</x:v></x:c><x:c r="F2" t="s"><x:v>4</x:v></x:c></x:row>
<x:row r="3" hidden="1"><x:c t="inlineStr"><x:is><x:t>月光站</x:t></x:is></x:c><x:c s="2"><x:v>45308</x:v></x:c><x:c><x:f t="shared" si="0"/><x:v>95</x:v></x:c><x:c t="e"><x:v>#DIV/0!</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c s="5"><x:v>0.5</x:v></x:c></x:row>
<x:row r="5"><x:c r="A5" t="inlineStr"><x:is><x:t>'=1+1</x:t></x:is></x:c><x:c r="C5"><x:v>1E-3</x:v></x:c></x:row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A5:B5"/></x:mergeCells></x:worksheet>`

describe('XLSX1 the streaming reader on parts shaped like Excel and WPS write them', () => {
  it('XLSX1 shared and inline strings, rich text, built-in and custom formats, formulas, hidden rows and columns', async () => {
    const b = await open(book(SHEET, { strings: STRINGS, styles: STYLES }))
    expect(b.worksheets).toEqual([
      { name: '台账', hidden: false, rows: 5, columns: 6 },
      { name: '隐藏', hidden: true, rows: 0, columns: 0 },
    ])
    const r = readWorksheet(b, '台账')
    if (!r.ok) throw new Error(describeRefusal(r.refusal, 'en'))
    expect(r.table.header).toEqual(['站点名称', '日期', '人次', '占比', '资金', '备注'])
    expect(r.table.rows).toEqual([
      ['阳光站', '2024-01-16', '120', '63.7%', '276万元', '第一行\r\n第二行'],
      ['月光站', '2024-01-17', '95', '#DIV/0!', '是', '12:00'],
      // A leading `'` is kept escaped the way the CSV path keeps it; the merge fills B5.
      ["''=1+1", "''=1+1", '0.001', '', '', ''],
    ])
    expect(r.table.lines).toEqual([2, 3, 5])
    expect(r.notes.formulas).toEqual({
      count: 2,
      examples: [
        { line: 2, column: '人次', formula: '=D2*100' },
        // The shared formula's other cell, as Excel shows it there.
        { line: 3, column: '人次', formula: '=D3*100' },
      ],
    })
    expect(r.notes.hiddenRows).toEqual({ count: 1, lines: [3] })
    expect(r.notes.hiddenColumns).toEqual(['资金'])
    expect(r.notes.mergedBody).toEqual({ count: 1, filled: true })
    expect(readWorksheet(b, '隐藏')).toEqual({ ok: false, refusal: { kind: 'empty' } })
  })

  it('XLSX1 a binary workbook (.xlsb) is refused with how to save as .xlsx; misordered rows are a damaged file', async () => {
    const parts = book(`<worksheet xmlns="${NS}"><sheetData/></worksheet>`)
    parts[1] = {
      name: '_rels/.rels',
      data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>`,
    }
    parts.push({ name: 'xl/workbook.bin', data: 'binary' })
    const xlsb = await openXlsx(writeZip(parts))
    expect(xlsb).toEqual({ ok: false, refusal: { kind: 'xlsx', reason: 'legacy', detail: 'xlsb' } })

    const misordered = await openXlsx(
      writeZip(
        book(
          `<worksheet xmlns="${NS}"><sheetData><row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c></row><row r="2"/></sheetData></worksheet>`,
        ),
      ),
    )
    expect(misordered).toMatchObject({ ok: false, refusal: { kind: 'xlsx', reason: 'corrupt' } })
    const broken = await openXlsx(
      writeZip(book(`<worksheet xmlns="${NS}"><sheetData><row r="1"><c></row></sheetData>`)),
    )
    expect(broken).toMatchObject({ ok: false, refusal: { kind: 'xlsx', reason: 'corrupt' } })
  })
})

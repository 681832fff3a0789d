import { cellSel, cellText, createWorkbook, dataColumnIds, openBrowser, screenshot, startServer } from '../harness.ts'
const server = await startServer()
const a = await openBrowser('a', { name: '张三', color: '#2563eb' })
a.page.on('console', (m) => console.log('console:', m.text()))
try {
  await createWorkbook(a.page, server.origin, server.token, 'demo')
  const cols = await dataColumnIds(a.page)
  await a.page.locator(cellSel(16, cols[1]!)).click()
  const info = await a.page.evaluate((text) => {
    const dt = new DataTransfer()
    dt.setData('text/plain', text)
    const target = document.activeElement ?? document.body
    const ev = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
    target.dispatchEvent(ev)
    return { tag: target.className, prevented: ev.defaultPrevented, data: ev.clipboardData?.getData('text/plain') }
  }, '甲1\t乙1\t丙1\r\n甲2\t乙2\t丙2\r\n甲3\t乙3\t丙3\r\n')
  console.log(info)
  await a.page.waitForTimeout(500)
  console.log(await cellText(a.page, 16, cols[1]!), await cellText(a.page, 18, cols[3]!))
  await screenshot(a.page, 'dbg-paste.png')
} finally {
  await a.close(); await server.stop()
}

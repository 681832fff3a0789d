import { createWorkbook, openBrowser, screenshot, startServer } from '../harness.ts'
const server = await startServer()
const a = await openBrowser('a', { name: '张三', color: '#2563eb' })
try {
  const id = await createWorkbook(a.page, server.origin, server.token, 'demo')
  await a.page.waitForTimeout(2000)
  await screenshot(a.page, 'look-demo.png')
  console.log('id', id)
} finally {
  await a.close(); await server.stop()
}

/** Save text or a data URL as a file the browser downloads. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  // A BOM so Excel opens the UTF-8 CSV as UTF-8 (same as the sheet export).
  const blob = new Blob(['\uFEFF', text], { type })
  const url = URL.createObjectURL(blob)
  downloadUrl(name, url)
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function downloadUrl(name: string, url: string): void {
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
}

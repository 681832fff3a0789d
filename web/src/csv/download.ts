/** Saves bytes as a file through a temporary object URL (works offline, no server round trip). */
export function downloadBytes(bytes: Uint8Array, fileName: string, mime = 'text/csv'): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // Revoke later: some browsers start reading the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name without characters Windows refuses. */
export function safeFileName(name: string): string {
  return (name.replace(/[\\/:*?"<>|]+/g, '_').trim() || 'sheet') + '.csv'
}

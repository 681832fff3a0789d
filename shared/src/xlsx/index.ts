// `@taizhang/shared/xlsx`: the .xlsx import and export (issue #15). A separate entry point from
// `@taizhang/shared` so that SheetJS is bundled only where it is imported (the web app loads it
// lazily, in the import worker and on export), never into the app's first chunk.

export * from './bookWriter.js'
export * from './limits.js'
export * from './readXlsx.js'
export * from './sheetTable.js'
export * from './sheetXml.js'
export * from './writeXlsx.js'
export * from './xlsxSlice.js'
export * from './zipGuard.js'
export * from './zipWrite.js'

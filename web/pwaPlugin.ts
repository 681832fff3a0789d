// vite-plugin-pwa is a dependency of the web package; the root vite.config.ts reaches it through
// this file so the plugin resolves from web/node_modules.
export { VitePWA } from 'vite-plugin-pwa'

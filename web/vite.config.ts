// The dashboard's build: React, Tailwind, and hashed files under assets/ (which the server caches
// for a year). scripts/build.mjs runs it with this directory as root; `npm run dev:web` serves it
// with the API of a running `npm start` behind it.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    // The size test and anyone curious read which chunks the entry pulls in from here.
    manifest: true,
    // Inlined assets would become data: URLs in CSS; fine for img-src, but fonts or scripts never.
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/v1': { target: 'http://localhost:3000', changeOrigin: false },
    },
  },
});

import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Explicit entries (ARCHITECTURE §2): main, preload, the engine host (worker) and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          worker: resolve('electron/worker/index.ts'),
          // Loaded by the engine's SegmentPool with new URL('./segment-worker.js', import.meta.url).
          'segment-worker': resolve('electron/engine/text/segment-worker.ts'),
        },
        // Native addons and jieba's dictionary load at run time from node_modules.
        external: ['@duckdb/node-api', '@node-rs/jieba', '@node-rs/jieba/dict.js'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    base: './',
    build: { outDir: 'out/renderer', rollupOptions: { input: { index: resolve('renderer/index.html') } } },
    plugins: [react()],
  },
});

/**
 * Builds the web app (index.html) and the GraphiQL playground (playground.html) into dist/web, which
 * src/web.ts serves. Everything, Monaco's workers included, is bundled: nothing loads from a CDN.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // The server's dev-time .env must not leak into the bundle.
  envDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Monaco (GraphiQL's editor) is large by nature and only loads on /playground; the warning would be noise.
    chunkSizeWarningLimit: 5000,
    reportCompressedSize: false,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // GraphiQL marks its modules "use no memo" for the React Compiler; bundling them is harmless.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      input: {
        app: fileURLToPath(new URL('index.html', import.meta.url)),
        playground: fileURLToPath(new URL('playground.html', import.meta.url)),
      },
    },
  },
});

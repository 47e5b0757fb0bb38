import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a local `pillivery serve` (PILLIVERY_API, default :8080).
const api = process.env.PILLIVERY_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/api': api, '/images': api, '/metrics': api, '/health': api },
  },
});

// esbuild bundles imported CSS files into the stylesheet; the import has no value.
declare module '*.css';

// Worker-thread entry: the project runs TypeScript through tsx, and a worker thread does not
// inherit the loader hooks its parent registered, so register them here before loading.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');

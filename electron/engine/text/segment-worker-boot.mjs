// Worker entry when running from TypeScript sources: register tsx in this thread, then load
// the segmentation worker. (A worker does not inherit the parent's module loader.)
import { register } from 'tsx/esm/api';

register();
await import('./segment-worker.ts');

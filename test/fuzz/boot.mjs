// Worker entry: plain Node cannot load TypeScript, so register tsx first, then load the worker.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);

import * as electron from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMain } from './app.js';

const here = dirname(fileURLToPath(import.meta.url));
const dbArg = process.argv.find((a) => a.startsWith('--db='))?.slice(5);
startMain(electron, { outDir: join(here, '..'), dbPath: dbArg });

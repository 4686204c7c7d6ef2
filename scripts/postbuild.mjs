// Makes the built CLI executable (tsc does not keep modes).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/bin/mlpipeline.js', import.meta.url), 0o755);

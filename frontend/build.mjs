// Builds tracker/static from GOV.UK Frontend (npm) and our own styles. No CDN: the app
// serves everything itself so it works offline. Fonts and the crown images are not copied.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as sass from 'sass';

const out = 'tracker/static';
mkdirSync(out, { recursive: true });

const css = sass.compile('frontend/app.scss', {
  loadPaths: ['node_modules'],
  style: 'compressed',
  quietDeps: true,
  silenceDeprecations: ['import', 'global-builtin', 'color-functions'],
});
writeFileSync(`${out}/app.css`, css.css);

const govuk = 'node_modules/govuk-frontend/dist/govuk';
copyFileSync(`${govuk}/govuk-frontend.min.js`, `${out}/govuk-frontend.min.js`);
for (const file of ['init.js', 'app.js', 'favicon.svg']) {
  copyFileSync(`frontend/${file}`, `${out}/${file}`);
}
console.log(`built ${out}/app.css (${css.css.length} bytes) and scripts`);

#!/usr/bin/env node
// Builds the portal stand-in's bulk feed: 1,000 submissions for the scale-out tests and benchmarks,
// the sample feed (data/submissions.json) over and over under new codes (G22.98-yymmdd-RRnnnnnn, RR
// the round), bad ones included, so that each keeps its expected outcome. It is served only to the
// agency code BULK_AGENCY (madonvi), in pages of 100, so the sample feed stays as it is for every
// other caller; the portal has every bulk dossier (sync and progress succeed: PortalStandIn.cs).
// Writes __files/portal/bulk/*.json and data/bulk/submissions.expected.json (whose agencyCode the
// stand-in reads).
// build.js runs it after the sample's files; it reads the committed sample and its expectations.
// Run: node mocks/tools/bulk.js
'use strict';

const fs = require('fs');
const path = require('path');

const mocks = path.resolve(__dirname, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(mocks, file), 'utf8'));

const BULK_AGENCY = '000.00.01.H26';
const SIZE = 1000;
const PAGE = 100;
const CODE = /^G22\.99-(\d{6})-(\d{6})$/;

// Pages are written without indentation: they are data for the stand-in, and many.
function writeJson(file, value, indent = 2) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, indent)}\n`);
}

const bulkCode = (code, round) => {
  const [, day, number] = CODE.exec(code);
  return `G22.98-${day}-${String(round).padStart(2, '0')}${number}`;
};

function build() {
  const sample = readJson('data/submissions.json').submissions;
  const sampleExpected = readJson('data/submissions.expected.json').submissions;
  const items = [];
  const expected = [];
  for (let i = 0; i < SIZE; i++) {
    const round = Math.floor(i / sample.length);
    const at = i % sample.length;
    const item = { ...sample[at], MaHoSo: bulkCode(sample[at].MaHoSo, round) };
    const outcome = { ...sampleExpected[at], feedPosition: i + 1, portalCode: item.MaHoSo };
    if (outcome.duplicateOf) outcome.duplicateOf += round * sample.length;
    items.push(item);
    expected.push(outcome);
  }

  fs.rmSync(path.join(mocks, '__files/portal/bulk'), { recursive: true, force: true });
  for (let from = 0; from < SIZE; from += PAGE) {
    const next = from + PAGE;
    writeJson(path.join(mocks, '__files', `portal/bulk/size-${PAGE}-from-${from}.json`), { error_code: '0', message: 'Lấy danh sách hồ sơ thành công', result: items.slice(from, next), contro: String(next), conTiep: next < SIZE }, 0);
  }

  const counts = {};
  for (const e of expected) counts[e.expect] = (counts[e.expect] || 0) + 1;
  writeJson(path.join(mocks, 'data/bulk/submissions.expected.json'), {
    notes: [
      `What must happen to each of the ${SIZE} items of the bulk feed, which the portal stand-in serves to the agency code ${BULK_AGENCY} in pages of ${PAGE}: the sample feed over and over, item n being the sample's item ((n - 1) mod ${sample.length}) + 1 under the code G22.98-yymmdd-RRnnnnnn (RR the round), with that item's expected outcome (see ../submissions.expected.json for the rules).`,
      'Built by mocks/tools/bulk.js.',
    ],
    agencyCode: BULK_AGENCY,
    counts,
    submissions: expected,
  });
  return counts;
}

module.exports = { build };

if (require.main === module) {
  console.log('bulk feed outcomes:', build());
}

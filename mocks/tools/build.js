#!/usr/bin/env node
// Builds the stand-ins' response files from the data: mocks/__files/** for the portal and the
// population database (mocks/IntegrationHub.StandIns serves them), and
// mocks/data/submissions.expected.json (what must happen to each submission of the feed). The
// generated files are committed; neither the stand-ins nor the tests run this.
// Run: node mocks/tools/build.js
'use strict';

const fs = require('fs');
const path = require('path');

const mocks = path.resolve(__dirname, '..');
const repo = path.resolve(mocks, '..');
const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
const citizens = readJson(path.join(mocks, 'data/citizens.json')).citizens;
const submissions = readJson(path.join(mocks, 'data/submissions.json')).submissions;
const procedures = readJson(path.join(repo, 'functions/IntegrationHub.Core/Data/procedures.json')).procedures;
const routing = readJson(path.join(repo, 'functions/IntegrationHub.Core/Data/routing.json')).versions;

const PAGE_SIZES = [10, 20, 50, 100];

const writeJson = (file, value) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};

function clean(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

// ---- the portal --------------------------------------------------------------------------------
// The feed (LayDanhSachHoSoMoi) in pages of each size it serves, the cursor being the number of
// items listed so far; each dossier's lookup (TraCuuHoSo), with its submission as its one progress
// record; the procedure catalogue (LayDanhSachTTHC). The stand-in (PortalStandIn.cs) serves them.
function portal() {
  const total = submissions.length;
  for (const size of PAGE_SIZES) {
    for (let from = 0; from < total; from += size) {
      const items = submissions.slice(from, from + size);
      const next = from + items.length;
      writeJson(path.join(mocks, '__files', `portal/feed/size-${size}-from-${from}.json`), { error_code: '0', message: 'Lấy danh sách hồ sơ thành công', result: items, contro: String(next), conTiep: next < total });
    }
  }

  const seen = new Set();
  for (const item of submissions) {
    if (seen.has(item.MaHoSo)) continue;
    seen.add(item.MaHoSo);
    const received = item.KenhThucHien === '2' ? 'Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia' : `Tiếp nhận hồ sơ tại ${item.DonViTiepNhan === 'CAUGIAY' ? 'Chi nhánh Cầu Giấy' : 'Chi nhánh Tây Hồ'}`;
    const progress = item.NgayNopHoSo
      ? [{ MaHoSo: item.MaHoSo, NguoiXuLy: item.KenhThucHien === '2' ? item.ChuHoSo : 'Cán bộ một cửa', ThoiDiemXuLy: item.NgayNopHoSo, PhongBanXuLy: item.KenhThucHien === '2' ? 'Cổng Dịch vụ công quốc gia' : 'Bộ phận Một cửa', NoiDungXuLy: received, TrangThai: '1' }]
      : [];
    writeJson(path.join(mocks, '__files', `portal/dossiers/${item.MaHoSo}.json`), { error_code: '0', message: 'Tra cứu hồ sơ thành công', result: { ...item, QuaTrinhXuLy: progress } });
  }

  writeJson(path.join(mocks, '__files/portal/procedures.json'), {
    error_code: '0',
    message: 'Lấy danh sách thủ tục hành chính thành công',
    result: procedures.map((p) => ({ MaTTHC: p.code, TenTTHC: p.name, MaLinhVuc: p.fieldCode, TenLinhVuc: p.fieldName })),
  });
}

// ---- the population database -------------------------------------------------------------------
// Each citizen's reply to TraCuuThongTinCongDan; the stand-in (PopulationStandIn.cs) adds the
// caller's request id (MaYeuCau) to it.
function population() {
  for (const citizen of citizens) {
    writeJson(path.join(mocks, '__files', `population/citizens/${citizen.SoDinhDanh}.json`), { error_code: '0', message: 'Tra cứu thông tin công dân thành công', data: citizen });
  }
}

// ---- what must happen to each submission -------------------------------------------------------
// Mirrors, independently, the rules the hub applies in order: read the item (portal mapping),
// deduplicate by MaHoSo, check a citizen's ID (structure, birth year, sex) and identity against
// the population data, route by the table in force on the Vietnam day of NgayNopHoSo. A test
// (MockDataTests) checks this file against the hub's own code.
const provinceCodes = new Set(fs.readFileSync(path.join(repo, 'functions/IntegrationHub.Core/Identity/CitizenId.cs'), 'utf8').match(/\["(\d{3})"\]/g).map((m) => m.slice(2, 5)));
const fold = (s) => (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'D').toUpperCase().trim().split(/\s+/).join(' ');

function unreadable(item) {
  const fields = [];
  const required = ['MaHoSo', 'MaTTHC', 'ChuHoSo', 'TrichYeuHoSo', 'KenhThucHien', 'LoaiDoiTuong', 'NgayNopHoSo'];
  for (const f of required) if (!item[f] || !String(item[f]).trim()) fields.push(f);
  if (item.KenhThucHien && !['1', '2', '3'].includes(item.KenhThucHien)) fields.push('KenhThucHien');
  if (item.LoaiDoiTuong && !['1', '2', '3', '4'].includes(item.LoaiDoiTuong)) fields.push('LoaiDoiTuong');
  const type1 = (item.DinhDanhCHS || []).find((d) => d.LoaiDinhDanh === '1');
  if (!item.SoGiayToChuHoSo && !(type1 && type1.SoDinhDanh)) fields.push('SoGiayToChuHoSo');
  if (item.NgayNopHoSo && !/^\d{14}$/.test(item.NgayNopHoSo)) fields.push('NgayNopHoSo');
  if (item.NgaySinhChuHoSo && !/^\d{8}$/.test(item.NgaySinhChuHoSo)) fields.push('NgaySinhChuHoSo');
  if (item.GioiTinhChuHoSo && !['1', '2'].includes(item.GioiTinhChuHoSo)) fields.push('GioiTinhChuHoSo');
  return fields;
}

function citizenIdRejection(id, birth, sex) {
  if (!/^\d+$/.test(id)) return 'notDigits';
  if (id.length === 9) return null;
  if (id.length !== 12) return 'wrongLength';
  if (!provinceCodes.has(id.slice(0, 3))) return 'unknownProvince';
  const centuryDigit = Number(id[3]);
  const year = 1900 + Math.floor(centuryDigit / 2) * 100 + Number(id.slice(4, 6));
  if (birth && Number(birth.slice(0, 4)) !== year) return 'birthYearMismatch';
  if (sex && (centuryDigit % 2 === 0 ? '1' : '2') !== sex) return 'sexMismatch';
  return null;
}

function route(item) {
  const day = `${item.NgayNopHoSo.slice(0, 4)}-${item.NgayNopHoSo.slice(4, 6)}-${item.NgayNopHoSo.slice(6, 8)}`;
  const procedure = procedures.find((p) => p.code === item.MaTTHC);
  if (!procedure) return { error: 'unknownProcedure' };
  const version = routing.filter((v) => v.validFrom <= day && (!v.validTo || day < v.validTo)).pop();
  const entry = version.departments.find((d) => d.code === procedure.department);
  let department = entry;
  while (department.mergedInto) department = version.departments.find((d) => d.code === department.mergedInto);
  const handedIn = item.KenhThucHien === '2' ? null : item.DonViTiepNhan || null;
  return {
    department: department.code,
    queue: department.queue,
    receivingBranch: handedIn && department.branches.includes(handedIn) ? handedIn : department.branches[0],
    sectorSystem: entry.sectorSystem || department.sectorSystem || null,
    routingTableVersion: version.version,
  };
}

function expectations() {
  const byId = new Map(citizens.map((c) => [c.SoDinhDanh, c]));
  const firstPosition = new Map();
  const entries = submissions.map((item, index) => {
    const position = index + 1;
    const base = { feedPosition: position, portalCode: item.MaHoSo || null };
    const fields = unreadable(item);
    if (fields.length > 0) return { ...base, expect: 'deadLetter', stage: 'intake', reason: 'unreadable', fields };
    if (firstPosition.has(item.MaHoSo)) {
      const first = firstPosition.get(item.MaHoSo);
      return JSON.stringify(submissions[first - 1]) === JSON.stringify(item)
        ? { ...base, expect: 'duplicate', duplicateOf: first }
        : { ...base, expect: 'deadLetter', stage: 'intake', reason: 'conflictingDuplicate', duplicateOf: first };
    }
    firstPosition.set(item.MaHoSo, position);

    const citizen = item.LoaiDoiTuong === '1';
    if (citizen) {
      const rejection = citizenIdRejection(item.SoGiayToChuHoSo, item.NgaySinhChuHoSo, item.GioiTinhChuHoSo);
      if (rejection) return { ...base, expect: 'rejected', portalStatus: 3, reason: 'malformedCitizenId', rejection };
      const record = byId.get(item.SoGiayToChuHoSo);
      if (!record) return { ...base, expect: 'rejected', portalStatus: 3, reason: 'identityNotFound' };
      const differ = [];
      if (fold([record.HoVaTen.Ho, record.HoVaTen.ChuDem, record.HoVaTen.Ten].join(' ')) !== fold(item.ChuHoSo)) differ.push('fullName');
      if (record.NgayThangNamSinh !== item.NgaySinhChuHoSo) differ.push('birthDate');
      if (differ.length > 0) return { ...base, expect: 'rejected', portalStatus: 3, reason: 'identityMismatch', fields: differ };
    }

    const routed = route(item);
    if (routed.error) return { ...base, expect: 'deadLetter', stage: 'routing', reason: routed.error, procedureCode: item.MaTTHC };
    const s = item.NgayNopHoSo;
    return {
      ...base,
      expect: 'accepted',
      portalStatus: 2,
      identityCheck: citizen ? 'match' : 'notApplicable',
      receivedAt: `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}+07:00`,
      procedureCode: item.MaTTHC,
      ...routed,
    };
  });

  const counts = {};
  for (const e of entries) counts[e.expect] = (counts[e.expect] || 0) + 1;
  writeJson(path.join(mocks, 'data/submissions.expected.json'), {
    notes: [
      'What must happen to each item of the portal stand-in\'s feed (data/submissions.json), by its 1-based position in the feed (a duplicate shares its portalCode).',
      'Order of the rules: an item that cannot be read is dead-lettered at intake (reason unreadable, with the portal fields); an item whose MaHoSo was listed before is a duplicate (no effect) when its content is the same, and is dead-lettered at intake (reason conflictingDuplicate, duplicateOf) when it differs, so that the changed content is kept for an operator; a citizen (LoaiDoiTuong 1) is rejected with portal status 3 when the ID is malformed (rejection: the CitizenIdRejection, with the birth date and sex given), not found, or does not match (fields: fullName, birthDate; names compared without case, diacritics or extra spaces); then the dossier is routed by the routing table in force on the Vietnam day of NgayNopHoSo (receivedAt), or dead-lettered at routing (unknownProcedure).',
      'accepted: the portal is told status 2; department, queue, receivingBranch, sectorSystem and routingTableVersion are what ReferenceData.Route gives. Businesses, agencies and other organisations are not looked up in the population database (identityCheck notApplicable).',
      'Built by mocks/tools/build.js; MockDataTests checks it against the hub\'s code.',
    ],
    counts,
    submissions: entries,
  });
  return counts;
}

clean(path.join(mocks, '__files'));
portal();
population();
console.log('expected outcomes:', expectations());
console.log('bulk feed outcomes:', require('./bulk').build());

#!/usr/bin/env node
// Builds the WireMock stand-ins from the data: mocks/mappings/*.json and mocks/__files/** for the
// portal, the population database and the sector systems, and mocks/data/submissions.expected.json
// (what must happen to each submission of the feed). The generated files are committed; neither
// WireMock nor the tests run this. Run: node mocks/tools/build.js
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
const PROGRESS_BATCH_LIMIT = 20;
const AGENCY_CODE = '^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$';
const INSTANT = '^[0-9]{14}$';
const STATUS = '^([1-9]|10)$';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

// The systems: where they live on the stand-in and the credentials the hub is given there.
const systems = {
  portal: { prefix: '/dvcqg', clientId: 'hub-portal', secret: 'portal-secret' },
  population: { prefix: '/csdldc', clientId: 'hub-population', secret: 'population-secret' },
  land: { prefix: '/vpdkdd', clientId: 'hub-land', secret: 'land-secret', receipt: 'VPDK', departments: ['VPDKDD'], name: 'Văn phòng Đăng ký đất đai Hà Nội' },
  business: { prefix: '/dkkd', clientId: 'hub-business', secret: 'business-secret', receipt: 'DKKD', departments: ['SKHDT', 'STC'], name: 'Hệ thống thông tin quốc gia về đăng ký doanh nghiệp' },
};

// ---- helpers -----------------------------------------------------------------------------------
const reply = (status, body, extra = {}) => ({ status, headers: JSON_HEADERS, jsonBody: body, ...extra });
const templated = (status, body) => ({ status, headers: JSON_HEADERS, body: JSON.stringify(body), transformers: ['response-template'] });
const jsonPath = (expression, matcher) => ({ matchesJsonPath: matcher ? { expression, ...matcher } : expression });
const not = (pattern) => ({ not: pattern });
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bearer = { Authorization: { matches: '^Bearer [A-Za-z0-9._~+/=-]+$' } };
const basic = (s) => `Basic ${Buffer.from(`${s.clientId}:${s.secret}`).toString('base64')}`;

function tokenMappings(system) {
  const s = systems[system];
  const url = `${s.prefix}/oauth2/token`;
  return [
    {
      name: `${system}: token (client credentials)`,
      priority: 5,
      request: { method: 'POST', urlPath: url, headers: { Authorization: { equalTo: basic(s) } }, bodyPatterns: [{ contains: 'grant_type=client_credentials' }] },
      response: templated(200, { access_token: "{{randomValue length=40 type='ALPHANUMERIC'}}", token_type: 'Bearer', expires_in: 3600, scope: 'default' }),
    },
    {
      name: `${system}: token, another grant`,
      priority: 6,
      request: { method: 'POST', urlPath: url, headers: { Authorization: { equalTo: basic(s) } } },
      response: reply(400, { error: 'unsupported_grant_type', error_description: 'Only client_credentials is supported' }),
    },
    {
      name: `${system}: token, unknown client`,
      priority: 7,
      request: { method: 'POST', urlPath: url },
      response: reply(401, { error: 'invalid_client', error_description: 'Client authentication failed' }),
    },
  ];
}

function guardMappings(system, api) {
  return [
    {
      name: `${system}: no access token`,
      priority: 2,
      request: { method: 'ANY', urlPathPattern: `${api}/.*`, headers: { Authorization: { absent: true } } },
      response: reply(401, { error_code: '100', message: 'Lỗi xác thực: thiếu mã truy cập (access token)' }),
    },
    {
      name: `${system}: anything else`,
      priority: 9,
      request: { method: 'ANY', urlPathPattern: `${api}/.*` },
      response: reply(400, { error_code: '302', message: 'Yêu cầu không hợp lệ hoặc dịch vụ không tồn tại' }),
    },
  ];
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function clean(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
}

// ---- the portal --------------------------------------------------------------------------------
function portal() {
  const api = `${systems.portal.prefix}/api`;
  const post = (service, patterns) => ({
    method: 'POST',
    urlPath: `${api}/${service}`,
    headers: bearer,
    bodyPatterns: [jsonPath('$.service', { equalTo: service }), jsonPath('$.madonvi', { matches: AGENCY_CODE }), ...patterns],
  });
  const mappings = [...tokenMappings('portal'), ...guardMappings('portal', api), {
    name: 'portal: agency code wrong',
    priority: 3,
    request: { method: 'POST', urlPathPattern: `${api}/.*`, bodyPatterns: [jsonPath('$.madonvi', { doesNotMatch: AGENCY_CODE })] },
    response: reply(400, { error_code: '106', message: 'Mã đơn vị (madonvi) không đúng' }),
  }];

  // LayDanhSachHoSoMoi: the feed, paged; the cursor is the count of items already listed.
  const total = submissions.length;
  for (const size of PAGE_SIZES) {
    for (let from = 0; from < total; from += size) {
      const items = submissions.slice(from, from + size);
      const next = from + items.length;
      const file = `portal/feed/size-${size}-from-${from}.json`;
      writeJson(path.join(mocks, '__files', file), { error_code: '0', message: 'Lấy danh sách hồ sơ thành công', result: items, contro: String(next), conTiep: next < total });
      mappings.push({
        name: `portal: feed, ${size} after ${from}`,
        priority: 5,
        request: post('LayDanhSachHoSoMoi', [
          jsonPath('$.soluong', { equalTo: String(size) }),
          from === 0 ? not(jsonPath('$.contro')) : jsonPath('$.contro', { equalTo: String(from) }),
        ]),
        response: { status: 200, headers: JSON_HEADERS, bodyFileName: file },
      });
    }
  }
  mappings.push(
    {
      name: 'portal: feed, nothing after the last item',
      priority: 5,
      request: post('LayDanhSachHoSoMoi', [jsonPath('$.contro', { equalTo: String(total) })]),
      response: reply(200, { error_code: '0', message: 'Không có hồ sơ mới', result: [], contro: String(total), conTiep: false }),
    },
    {
      name: 'portal: feed, page size not served',
      priority: 6,
      request: post('LayDanhSachHoSoMoi', [jsonPath('$.soluong', { doesNotMatch: `^(${PAGE_SIZES.join('|')})$` })]),
      response: reply(400, { error_code: '302', message: `soluong phải là một trong ${PAGE_SIZES.join(', ')}` }),
    },
    {
      name: 'portal: feed, unknown cursor',
      priority: 7,
      request: post('LayDanhSachHoSoMoi', [jsonPath('$.contro')]),
      response: reply(400, { error_code: '302', message: 'Con trỏ (contro) không hợp lệ' }),
    },
  );

  // DongBoHoSoMC: insert, or update with isUpdating "True"; the portal has every dossier of its feed.
  // The portal knows the dossiers of its feed, and those it pushed by webhook (codes G22.99-W…).
  const known = `^(${[...new Set(submissions.map((s) => s.MaHoSo))].map(escape).join('|')}|G22\\.99-W[0-9A-Za-z]+)$`;
  const wellFormed = [
    jsonPath('$.data[0].MaHoSo'),
    jsonPath('$.data[0].TrangThaiHoSo', { matches: STATUS }),
    jsonPath('$.data[0].ThoiDiemCapNhat', { matches: INSTANT }),
    not(jsonPath('$.data[0].NgayHenTra', { doesNotMatch: INSTANT })),
    not(jsonPath('$.data[0].NgayTiepNhan', { doesNotMatch: INSTANT })),
    not(jsonPath('$.data[0].NgayTra', { doesNotMatch: INSTANT })),
  ];
  const code = "{{jsonPath request.body '$.data[0].MaHoSo'}}";
  mappings.push(
    {
      name: 'portal: sync, insert of a dossier the portal has',
      priority: 5,
      request: post('DongBoHoSoMC', [jsonPath('$.isUpdating', { equalTo: 'False' }), jsonPath('$.data[0].MaHoSo', { matches: known }), ...wellFormed]),
      response: templated(200, { error_code: '-1', message: `Hồ sơ ${code} đã tồn tại trên Cổng Dịch vụ công quốc gia` }),
    },
    {
      name: 'portal: sync, insert of a new dossier',
      priority: 6,
      request: post('DongBoHoSoMC', [jsonPath('$.isUpdating', { equalTo: 'False' }), ...wellFormed]),
      response: reply(200, { error_code: '0', message: 'Thêm mới hồ sơ thành công' }),
    },
    {
      name: 'portal: sync, update of a dossier the portal has',
      priority: 5,
      request: post('DongBoHoSoMC', [jsonPath('$.isUpdating', { equalTo: 'True' }), jsonPath('$.data[0].MaHoSo', { matches: known }), ...wellFormed]),
      response: reply(200, { error_code: '0', message: 'Cập nhật hồ sơ thành công' }),
    },
    {
      name: 'portal: sync, update of an unknown dossier',
      priority: 6,
      request: post('DongBoHoSoMC', [jsonPath('$.isUpdating', { equalTo: 'True' }), ...wellFormed]),
      response: templated(200, { error_code: '201', message: `Không tìm thấy hồ sơ ${code} để cập nhật` }),
    },
    {
      name: 'portal: sync, malformed',
      priority: 8,
      request: post('DongBoHoSoMC', []),
      response: reply(400, { error_code: '302', message: 'Dữ liệu hồ sơ không hợp lệ: isUpdating, MaHoSo, TrangThaiHoSo (1–10) và các ngày yyyyMMddHHmmss là bắt buộc' }),
    },
  );

  // CapNhatTienDoHoSoMC: progress records, in batches of at most 20.
  mappings.push(
    {
      name: `portal: progress, more than ${PROGRESS_BATCH_LIMIT} records at once`,
      priority: 4,
      request: post('CapNhatTienDoHoSoMC', [jsonPath(`$.data[${PROGRESS_BATCH_LIMIT}]`)]),
      response: reply(400, { error_code: '500', message: `Mỗi lần gửi tối đa ${PROGRESS_BATCH_LIMIT} bản ghi tiến độ` }),
    },
    {
      name: 'portal: progress of a dossier the portal has',
      priority: 5,
      request: post('CapNhatTienDoHoSoMC', [
        jsonPath('$.data[0].MaHoSo', { matches: known }),
        jsonPath('$.data[0].NguoiXuLy'),
        jsonPath('$.data[0].NoiDungXuLy'),
        jsonPath('$.data[0].ThoiDiemXuLy', { matches: INSTANT }),
        jsonPath('$.data[0].TrangThai', { matches: STATUS }),
        not(jsonPath('$.data[0].NgayKetThucTheoQuyDinh', { doesNotMatch: INSTANT })),
      ]),
      response: reply(200, { error_code: '0', message: 'Cập nhật tiến độ hồ sơ thành công' }),
    },
    {
      name: 'portal: progress of an unknown dossier',
      priority: 6,
      request: post('CapNhatTienDoHoSoMC', [jsonPath('$.data[0].MaHoSo', { doesNotMatch: known })]),
      response: templated(200, { error_code: '201', message: `Không tìm thấy hồ sơ ${code}` }),
    },
    {
      name: 'portal: progress, malformed',
      priority: 8,
      request: post('CapNhatTienDoHoSoMC', []),
      response: reply(400, { error_code: '302', message: 'Dữ liệu tiến độ không hợp lệ: MaHoSo, NguoiXuLy, NoiDungXuLy, ThoiDiemXuLy (yyyyMMddHHmmss) và TrangThai là bắt buộc' }),
    },
  );

  // TraCuuHoSo: each dossier of the feed, with its one progress record (submission).
  const seen = new Set();
  for (const item of submissions) {
    if (seen.has(item.MaHoSo)) continue;
    seen.add(item.MaHoSo);
    const received = item.KenhThucHien === '2' ? 'Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia' : `Tiếp nhận hồ sơ tại ${item.DonViTiepNhan === 'CAUGIAY' ? 'Chi nhánh Cầu Giấy' : 'Chi nhánh Tây Hồ'}`;
    const progress = item.NgayNopHoSo
      ? [{ MaHoSo: item.MaHoSo, NguoiXuLy: item.KenhThucHien === '2' ? item.ChuHoSo : 'Cán bộ một cửa', ThoiDiemXuLy: item.NgayNopHoSo, PhongBanXuLy: item.KenhThucHien === '2' ? 'Cổng Dịch vụ công quốc gia' : 'Bộ phận Một cửa', NoiDungXuLy: received, TrangThai: '1' }]
      : [];
    const file = `portal/dossiers/${item.MaHoSo}.json`;
    writeJson(path.join(mocks, '__files', file), { error_code: '0', message: 'Tra cứu hồ sơ thành công', result: { ...item, QuaTrinhXuLy: progress } });
    mappings.push({
      name: `portal: lookup ${item.MaHoSo}`,
      priority: 5,
      request: post('TraCuuHoSo', [jsonPath('$.mahoso', { equalTo: item.MaHoSo })]),
      response: { status: 200, headers: JSON_HEADERS, bodyFileName: file },
    });
  }
  mappings.push({
    name: 'portal: lookup of an unknown dossier',
    priority: 6,
    request: post('TraCuuHoSo', [jsonPath('$.mahoso')]),
    response: reply(200, { error_code: '201', message: 'Không tìm thấy hồ sơ' }),
  });

  // LayDanhSachTTHC: the procedure catalogue.
  writeJson(path.join(mocks, '__files/portal/procedures.json'), {
    error_code: '0',
    message: 'Lấy danh sách thủ tục hành chính thành công',
    result: procedures.map((p) => ({ MaTTHC: p.code, TenTTHC: p.name, MaLinhVuc: p.fieldCode, TenLinhVuc: p.fieldName })),
  });
  mappings.push({
    name: 'portal: procedure catalogue',
    priority: 5,
    request: post('LayDanhSachTTHC', []),
    response: { status: 200, headers: JSON_HEADERS, bodyFileName: 'portal/procedures.json' },
  });

  writeJson(path.join(mocks, 'mappings/portal.json'), { mappings });
}

// ---- the population database -------------------------------------------------------------------
function population() {
  const api = `${systems.population.prefix}/api`;
  const url = `${api}/TraCuuThongTinCongDan`;
  const requestId = "{{jsonPath request.body '$.MaYeuCau'}}";
  const mappings = [...tokenMappings('population'), ...guardMappings('population', api)];
  for (const field of ['MaYeuCau', 'MaTichHop', 'MaDichVu', 'MaCanBo', 'DonViYeuCau', 'MucDichSuDung', 'SoDinhDanh', 'HoVaTen', 'NgayThangNamSinh']) {
    mappings.push({
      name: `population: ${field} missing`,
      priority: 3,
      request: { method: 'POST', urlPath: url, headers: bearer, bodyPatterns: [not(jsonPath(`$.${field}`))] },
      response: reply(400, { error_code: '200', message: `Thiếu thông tin bắt buộc: ${field}` }),
    });
  }
  for (const [field, pattern, rule] of [
    ['SoDinhDanh', '^[0-9]{12}$', 'số định danh cá nhân gồm 12 chữ số'],
    ['HoVaTen', '^[A-Z]+( [A-Z]+)*$', 'họ và tên viết hoa, không dấu'],
    ['NgayThangNamSinh', '^[0-9]{8}$', 'ngày sinh dạng yyyyMMdd'],
  ]) {
    mappings.push({
      name: `population: ${field} malformed`,
      priority: 4,
      request: { method: 'POST', urlPath: url, headers: bearer, bodyPatterns: [jsonPath(`$.${field}`, { doesNotMatch: pattern })] },
      response: reply(400, { error_code: '302', message: `${field} không đúng định dạng: ${rule}` }),
    });
  }

  for (const citizen of citizens) {
    const file = `population/citizens/${citizen.SoDinhDanh}.json`;
    // A template only for MaYeuCau: the record itself holds no braces.
    fs.mkdirSync(path.dirname(path.join(mocks, '__files', file)), { recursive: true });
    fs.writeFileSync(path.join(mocks, '__files', file), `${JSON.stringify({ error_code: '0', message: 'Tra cứu thông tin công dân thành công', MaYeuCau: requestId, data: citizen }, null, 2)}\n`);
    mappings.push({
      name: `population: citizen ${citizen.SoDinhDanh.slice(0, 3)}…${citizen.SoDinhDanh.slice(-3)}`,
      priority: 5,
      request: { method: 'POST', urlPath: url, headers: bearer, bodyPatterns: [jsonPath('$.SoDinhDanh', { equalTo: citizen.SoDinhDanh })] },
      response: { status: 200, headers: JSON_HEADERS, bodyFileName: file, transformers: ['response-template'] },
    });
  }
  mappings.push({
    name: 'population: no such citizen',
    priority: 6,
    request: { method: 'POST', urlPath: url, headers: bearer, bodyPatterns: [jsonPath('$.SoDinhDanh')] },
    response: templated(200, { error_code: '201', message: 'Không tìm thấy thông tin công dân', MaYeuCau: requestId }),
  });
  writeJson(path.join(mocks, 'mappings/population.json'), { mappings });
}

// ---- the sector systems ------------------------------------------------------------------------
function sector(system) {
  const s = systems[system];
  const api = `${s.prefix}/api`;
  const deliver = `${api}/TiepNhanHoSo`;
  const department = `^(${s.departments.join('|')})$`;
  const key = '{{request.headers.Idempotency-Key}}';
  const mappings = [...tokenMappings(system), ...guardMappings(system, api),
    {
      name: `${system}: delivery without an idempotency key`,
      priority: 3,
      request: { method: 'POST', urlPath: deliver, headers: { ...bearer, 'Idempotency-Key': { absent: true } } },
      response: reply(400, { error_code: '200', message: 'Thiếu tiêu đề Idempotency-Key (mã hồ sơ của thành phố)' }),
    },
    {
      // The receipt is derived from the key, so a repeated delivery gets the first one's receipt id.
      name: `${system}: delivery`,
      priority: 5,
      request: {
        method: 'POST',
        urlPath: deliver,
        headers: { ...bearer, 'Idempotency-Key': { matches: '.+' } },
        bodyPatterns: [
          jsonPath('$.MaHoSo'), jsonPath('$.MaHoSoQuocGia'), jsonPath('$.MaTTHC'), jsonPath('$.ChuHoSo'), jsonPath('$.SoGiayToChuHoSo'),
          jsonPath('$.MaDonViXuLy', { matches: department }),
          jsonPath('$.NgayTiepNhan', { matches: INSTANT }),
          jsonPath('$.NgayHenTra', { matches: INSTANT }),
        ],
      },
      response: templated(200, {
        error_code: '0',
        message: `${s.name}: tiếp nhận hồ sơ thành công`,
        data: { MaBienNhan: `${s.receipt}-${key}`, ThoiDiemTiepNhan: "{{now timezone='Asia/Ho_Chi_Minh' format='yyyyMMddHHmmss'}}" },
      }),
    },
    {
      name: `${system}: delivery of another department's dossier`,
      priority: 6,
      request: { method: 'POST', urlPath: deliver, headers: bearer, bodyPatterns: [jsonPath('$.MaDonViXuLy', { doesNotMatch: department })] },
      response: reply(400, { error_code: '106', message: 'Hồ sơ không thuộc thẩm quyền của đơn vị' }),
    },
    {
      name: `${system}: delivery, malformed`,
      priority: 8,
      request: { method: 'POST', urlPath: deliver, headers: bearer },
      response: reply(400, { error_code: '200', message: 'Hồ sơ thiếu thông tin bắt buộc hoặc sai định dạng ngày (yyyyMMddHHmmss)' }),
    },
    {
      name: `${system}: status of a receipt`,
      priority: 5,
      request: { method: 'GET', urlPath: `${api}/TraCuuTrangThai`, headers: bearer, queryParameters: { maBienNhan: { matches: `^${s.receipt}-.+$` } } },
      response: templated(200, {
        error_code: '0',
        message: 'Tra cứu trạng thái thành công',
        data: {
          MaBienNhan: '{{request.query.maBienNhan}}',
          MaHoSo: `{{regexExtract request.query.maBienNhan '^${s.receipt}-(.+)$' 'parts'}}{{parts.0}}`,
          TrangThaiHoSo: '4',
          NguoiXuLy: system === 'land' ? 'Phạm Thu Hà' : 'Đỗ Minh Quân',
          PhongBanXuLy: system === 'land' ? 'Phòng Đăng ký và Cấp giấy chứng nhận' : 'Phòng Đăng ký kinh doanh',
          NoiDungXuLy: 'Đang thẩm định hồ sơ',
          ThoiDiemXuLy: "{{now timezone='Asia/Ho_Chi_Minh' format='yyyyMMddHHmmss'}}",
        },
      }),
    },
    {
      name: `${system}: status of an unknown receipt`,
      priority: 6,
      request: { method: 'GET', urlPath: `${api}/TraCuuTrangThai`, headers: bearer },
      response: reply(200, { error_code: '201', message: 'Không tìm thấy hồ sơ theo mã biên nhận' }),
    },
  ];
  writeJson(path.join(mocks, `mappings/${system}.json`), { mappings });
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

clean(path.join(mocks, 'mappings'));
clean(path.join(mocks, '__files'));
portal();
population();
sector('land');
sector('business');
console.log('expected outcomes:', expectations());
console.log('bulk feed outcomes:', require('./bulk').build());

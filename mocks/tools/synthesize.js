#!/usr/bin/env node
// Creates the synthetic data of the stand-ins, the same every time (a seeded generator):
//   mocks/data/citizens.json     citizens as the population database's reply carries them
//   mocks/data/submissions.json  the portal's feed of new submissions, in its wire format
// The plan below says which submissions are bad and how; tools/build.js derives from the data
// what must happen to each (mocks/data/submissions.expected.json). Run: node mocks/tools/synthesize.js
'use strict';

const fs = require('fs');
const path = require('path');

const mocks = path.resolve(__dirname, '..');
const repo = path.resolve(mocks, '..');
const data = path.join(mocks, 'data');
const procedures = readJson(path.join(repo, 'functions/IntegrationHub.Core/Data/procedures.json')).procedures;
const calendar = readJson(path.join(repo, 'functions/IntegrationHub.Core/Data/calendar.json'));

// ---- seeded randomness -------------------------------------------------------------------------
let state = 20241201;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
function weighted(pairs) {
  const total = pairs.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of pairs) {
    if ((r -= w) < 0) return value;
  }
  return pairs[pairs.length - 1][0];
}
const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
const pad = (n, width) => String(n).padStart(width, '0');

// ---- reference lists ---------------------------------------------------------------------------
// Provinces of birth registration: the citizen-ID code (3 digits) is "0" + the province's 2-digit
// administrative code. Weights: most applicants at a Hanoi center were born in Hanoi or nearby.
const provinces = [
  ['001', 'Thành phố Hà Nội', 40], ['031', 'Thành phố Hải Phòng', 3], ['048', 'Thành phố Đà Nẵng', 2],
  ['079', 'Thành phố Hồ Chí Minh', 3], ['092', 'Thành phố Cần Thơ', 1], ['036', 'Tỉnh Nam Định', 5],
  ['034', 'Tỉnh Thái Bình', 5], ['038', 'Tỉnh Thanh Hóa', 5], ['040', 'Tỉnh Nghệ An', 4], ['042', 'Tỉnh Hà Tĩnh', 2],
  ['030', 'Tỉnh Hải Dương', 3], ['033', 'Tỉnh Hưng Yên', 3], ['035', 'Tỉnh Hà Nam', 2], ['037', 'Tỉnh Ninh Bình', 2],
  ['026', 'Tỉnh Vĩnh Phúc', 2], ['027', 'Tỉnh Bắc Ninh', 2], ['024', 'Tỉnh Bắc Giang', 2], ['025', 'Tỉnh Phú Thọ', 2],
  ['019', 'Tỉnh Thái Nguyên', 2], ['022', 'Tỉnh Quảng Ninh', 1], ['020', 'Tỉnh Lạng Sơn', 1], ['004', 'Tỉnh Cao Bằng', 1],
  ['014', 'Tỉnh Sơn La', 1], ['017', 'Tỉnh Hòa Bình', 1], ['008', 'Tỉnh Tuyên Quang', 1], ['015', 'Tỉnh Yên Bái', 1],
  ['046', 'Tỉnh Thừa Thiên Huế', 1], ['056', 'Tỉnh Khánh Hòa', 1], ['066', 'Tỉnh Đắk Lắk', 1], ['075', 'Tỉnh Đồng Nai', 1],
  ['044', 'Tỉnh Quảng Bình', 1], ['052', 'Tỉnh Bình Định', 1],
];
const provinceName = Object.fromEntries(provinces.map(([code, name]) => [code, name]));

// Ethnic groups (national codes) and where they are most common.
const ethnic = { kinh: ['01', 'Kinh'], tay: ['02', 'Tày'], thai: ['03', 'Thái'], hoa: ['04', 'Hoa'], muong: ['06', 'Mường'], nung: ['07', 'Nùng'] };
const minorityByProvince = { '004': ['tay', 'nung'], '020': ['tay', 'nung'], '008': ['tay'], '014': ['thai'], '015': ['tay', 'thai'], '017': ['muong'] };
const minorityFamilies = { tay: ['Nông', 'Hoàng', 'Bế', 'Lương'], nung: ['Hoàng', 'Vi', 'Lã'], thai: ['Lò', 'Cầm', 'Lường', 'Quàng'], muong: ['Bùi', 'Đinh', 'Quách'], hoa: ['Lý', 'Trương', 'Quách'] };

const families = [['Nguyễn', 31], ['Trần', 11], ['Lê', 9], ['Phạm', 7], ['Hoàng', 5], ['Phan', 4], ['Vũ', 4], ['Võ', 2], ['Đặng', 2],
  ['Bùi', 2], ['Đỗ', 2], ['Hồ', 1.5], ['Ngô', 1.5], ['Dương', 1], ['Đinh', 1], ['Đào', 1], ['Trịnh', 1], ['Lý', 0.5], ['Mai', 0.5],
  ['Tạ', 0.5], ['Lương', 0.5], ['Cao', 0.5], ['Kiều', 0.3], ['Tô', 0.3], ['Hà', 0.5], ['Huỳnh', 1]];
const middle = {
  male: ['Văn', 'Đức', 'Minh', 'Quang', 'Hữu', 'Thanh', 'Ngọc', 'Xuân', 'Tiến', 'Mạnh', 'Công', 'Trọng', 'Anh', 'Hoàng', 'Gia', 'Bảo', 'Đình', 'Việt'],
  female: ['Thị', 'Thu', 'Ngọc', 'Minh', 'Thanh', 'Phương', 'Hồng', 'Lan', 'Thùy', 'Khánh', 'Bảo', 'Mai', 'Diệu', 'Hải', 'Kim'],
};
const given = {
  male: ['An', 'Anh', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Đông', 'Đức', 'Giang', 'Hải', 'Hiếu', 'Hoàng', 'Hùng', 'Huy', 'Khánh', 'Khoa', 'Kiên',
    'Lâm', 'Long', 'Mạnh', 'Minh', 'Nam', 'Nghĩa', 'Phong', 'Phúc', 'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh'],
  female: ['Anh', 'Châu', 'Chi', 'Dung', 'Duyên', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hương', 'Huyền', 'Lan', 'Liên', 'Linh', 'Loan',
    'Mai', 'My', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Tâm', 'Thảo', 'Thủy', 'Trang', 'Tuyết', 'Vân', 'Vy', 'Yến'],
};

// Hanoi districts and wards (codes of the national list of administrative units, before the 2025
// reorganisation), with streets for the detail line.
const hanoi = [
  ['001', 'Quận Ba Đình', [['00001', 'Phường Phúc Xá'], ['00004', 'Phường Trúc Bạch'], ['00008', 'Phường Liễu Giai'], ['00013', 'Phường Quán Thánh'], ['00022', 'Phường Đội Cấn'], ['00025', 'Phường Ngọc Khánh'], ['00028', 'Phường Kim Mã'], ['00031', 'Phường Giảng Võ']], ['Kim Mã', 'Đội Cấn', 'Liễu Giai', 'Giảng Võ', 'Hoàng Hoa Thám', 'Nguyễn Thái Học']],
  ['002', 'Quận Hoàn Kiếm', [['00040', 'Phường Đồng Xuân'], ['00049', 'Phường Hàng Đào'], ['00064', 'Phường Hàng Gai'], ['00076', 'Phường Hàng Bông'], ['00079', 'Phường Tràng Tiền'], ['00085', 'Phường Phan Chu Trinh']], ['Hàng Bông', 'Hàng Gai', 'Lý Thường Kiệt', 'Phan Chu Trinh', 'Hàng Đào', 'Bà Triệu']],
  ['003', 'Quận Tây Hồ', [['00091', 'Phường Phú Thượng'], ['00094', 'Phường Nhật Tân'], ['00097', 'Phường Tứ Liên'], ['00100', 'Phường Quảng An'], ['00103', 'Phường Xuân La'], ['00106', 'Phường Yên Phụ'], ['00109', 'Phường Bưởi'], ['00112', 'Phường Thụy Khuê']], ['Lạc Long Quân', 'Âu Cơ', 'Xuân Diệu', 'Thụy Khuê', 'Tô Ngọc Vân', 'An Dương Vương']],
  ['004', 'Quận Long Biên', [['00115', 'Phường Thượng Thanh'], ['00118', 'Phường Ngọc Thụy'], ['00124', 'Phường Đức Giang'], ['00127', 'Phường Việt Hưng'], ['00130', 'Phường Gia Thụy'], ['00133', 'Phường Ngọc Lâm'], ['00139', 'Phường Bồ Đề']], ['Nguyễn Văn Cừ', 'Ngọc Lâm', 'Ngô Gia Tự', 'Nguyễn Sơn', 'Hồng Tiến']],
  ['005', 'Quận Cầu Giấy', [['00157', 'Phường Nghĩa Đô'], ['00160', 'Phường Nghĩa Tân'], ['00163', 'Phường Mai Dịch'], ['00166', 'Phường Dịch Vọng'], ['00167', 'Phường Dịch Vọng Hậu'], ['00169', 'Phường Quan Hoa'], ['00172', 'Phường Yên Hoà'], ['00175', 'Phường Trung Hoà']], ['Trần Duy Hưng', 'Xuân Thủy', 'Cầu Giấy', 'Nguyễn Khánh Toàn', 'Hoàng Quốc Việt', 'Trần Thái Tông']],
  ['006', 'Quận Đống Đa', [['00178', 'Phường Cát Linh'], ['00181', 'Phường Văn Miếu'], ['00187', 'Phường Láng Thượng'], ['00190', 'Phường Ô Chợ Dừa'], ['00199', 'Phường Láng Hạ'], ['00202', 'Phường Khâm Thiên'], ['00226', 'Phường Trung Tự'], ['00229', 'Phường Kim Liên']], ['Tôn Đức Thắng', 'Láng', 'Khâm Thiên', 'Tây Sơn', 'Chùa Bộc', 'Xã Đàn']],
  ['007', 'Quận Hai Bà Trưng', [['00241', 'Phường Nguyễn Du'], ['00283', 'Phường Bách Khoa'], ['00286', 'Phường Đồng Tâm'], ['00289', 'Phường Vĩnh Tuy'], ['00292', 'Phường Bạch Mai'], ['00298', 'Phường Minh Khai']], ['Bạch Mai', 'Minh Khai', 'Lò Đúc', 'Trần Khát Chân', 'Đại Cồ Việt']],
  ['008', 'Quận Hoàng Mai', [['00307', 'Phường Vĩnh Hưng'], ['00310', 'Phường Định Công'], ['00316', 'Phường Tương Mai'], ['00319', 'Phường Đại Kim'], ['00331', 'Phường Lĩnh Nam'], ['00340', 'Phường Hoàng Liệt']], ['Giải Phóng', 'Tam Trinh', 'Lĩnh Nam', 'Định Công', 'Kim Giang']],
  ['009', 'Quận Thanh Xuân', [['00346', 'Phường Nhân Chính'], ['00349', 'Phường Thượng Đình'], ['00352', 'Phường Khương Trung'], ['00358', 'Phường Thanh Xuân Trung'], ['00370', 'Phường Thanh Xuân Bắc'], ['00376', 'Phường Kim Giang']], ['Nguyễn Trãi', 'Khuất Duy Tiến', 'Lê Văn Thiêm', 'Vũ Trọng Phụng', 'Nguyễn Tuân']],
];
const villages = ['Thôn Đông', 'Thôn Trung', 'Thôn Bắc', 'Thôn Nam', 'Xóm 3', 'Xóm 5', 'Tổ dân phố 2', 'Tổ dân phố 7', 'Khu phố 4', 'Thôn Thượng', 'Thôn Hạ'];

// ---- citizens ----------------------------------------------------------------------------------
const usedIds = new Set();

function personalId(provinceCode, birthYear, sex) {
  const century = Math.floor((birthYear - 1900) / 100);
  const centuryDigit = century * 2 + (sex === 'female' ? 1 : 0);
  for (;;) {
    const id = `${provinceCode}${centuryDigit}${pad(birthYear % 100, 2)}${digits(6)}`;
    if (!usedIds.has(id)) {
      usedIds.add(id);
      return id;
    }
  }
}

function birthDate(fromYear, toYear) {
  const year = int(fromYear, toYear);
  const month = int(1, 12);
  const day = int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return { year, month, day, text: `${year}${pad(month, 2)}${pad(day, 2)}` };
}

// "Văn" and "Thị" are the usual middle names of older generations, less so of younger ones.
function middleName(sex, bornYear) {
  const usual = sex === 'male' ? 'Văn' : 'Thị';
  return random() < (bornYear < 1985 ? 0.55 : 0.2) ? usual : pick(middle[sex]);
}

function personName(sex, group, bornYear) {
  const family = group === 'kinh' ? weighted(families) : pick(minorityFamilies[group]);
  return { Ho: family, ChuDem: middleName(sex, bornYear), Ten: pick(given[sex]) };
}
const fullName = (n) => [n.Ho, n.ChuDem, n.Ten].filter(Boolean).join(' ');

function hanoiAddress() {
  const [districtCode, district, wards, streets] = pick(hanoi);
  const [wardCode, ward] = pick(wards);
  const street = pick(streets);
  const detail = weighted([
    [`Số ${int(1, 180)} phố ${street}`, 3],
    [`Số ${int(1, 60)} ngõ ${int(2, 250)} phố ${street}`, 4],
    [`Số ${int(1, 40)} ngách ${int(2, 120)}/${int(2, 60)} phố ${street}`, 2],
    [`Căn hộ ${int(2, 28)}${pad(int(1, 20), 2)}, tòa ${pick(['A', 'B', 'C', 'N01', 'CT2', 'HH3'])}, phố ${street}`, 2],
  ]);
  return { MaTinh: '01', TenTinh: 'Thành phố Hà Nội', MaHuyen: districtCode, TenHuyen: district, MaXa: wardCode, TenXa: ward, ChiTiet: detail };
}

function provinceAddress(code) {
  if (code === '001') return hanoiAddress();
  return { MaTinh: code.slice(1), TenTinh: provinceName[code], MaHuyen: null, TenHuyen: null, MaXa: null, TenXa: null, ChiTiet: pick(villages) };
}

function relative(sex, family, bornYear, provinceCode) {
  const n = { Ho: family, ChuDem: middleName(sex, bornYear), Ten: pick(given[sex]) };
  // Relatives born before 1950 are mostly not in the digitized database with a personal ID.
  return { HoVaTen: fullName(n), SoDinhDanh: bornYear >= 1950 ? personalId(provinceCode, bornYear, sex) : null };
}

const religions = [[{ Ma: '00', Ten: 'Không' }, 80], [{ Ma: '01', Ten: 'Phật giáo' }, 12], [{ Ma: '02', Ten: 'Công giáo' }, 7], [{ Ma: '03', Ten: 'Tin lành' }, 1]];
const marital = { single: { Ma: '1', Ten: 'Chưa kết hôn' }, married: { Ma: '2', Ten: 'Đã kết hôn' }, divorced: { Ma: '3', Ten: 'Đã ly hôn' }, widowed: { Ma: '4', Ten: 'Góa' } };

function citizen(minor) {
  const sex = random() < 0.5 ? 'male' : 'female';
  const provinceCode = weighted(provinces.map(([code, , w]) => [code, w]));
  const born = minor ? birthDate(2009, 2014) : birthDate(1950, 2006);
  const group = minorityByProvince[provinceCode] && random() < 0.6 ? pick(minorityByProvince[provinceCode]) : random() < 0.02 ? 'hoa' : 'kinh';
  const name = personName(sex, group, born.year);
  const id = personalId(provinceCode, born.year, sex);
  const age = 2025 - born.year;

  const status = minor || age < 22 ? 'single'
    : weighted([['married', age > 28 ? 70 : 35], ['single', age > 28 ? 10 : 60], ['divorced', 6], ['widowed', age > 60 ? 20 : 1]]);
  const lives = random() < 0.88 ? hanoiAddress() : provinceAddress(provinceCode);
  const current = random() < 0.75 ? lives : hanoiAddress();
  const homeProvince = random() < 0.7 ? provinceCode : weighted(provinces.map(([code, , w]) => [code, w]));

  const father = relative('male', name.Ho, born.year - int(22, 35), provinceCode);
  const mother = relative('female', weighted(families), born.year - int(20, 32), provinceCode);
  const spouseSex = sex === 'male' ? 'female' : 'male';
  const spouse = status === 'married' || status === 'widowed'
    ? relative(spouseSex, weighted(families), Math.min(born.year + int(-6, 6), 2006), weighted(provinces.map(([code, , w]) => [code, w])))
    : null;

  const self = { HoVaTen: fullName(name), SoDinhDanh: id };
  let head;
  if (minor || (status === 'single' && age < 30)) head = { ...father, QuanHe: 'Con' };
  else if (status === 'married' && sex === 'female') head = { ...spouse, QuanHe: 'Vợ' };
  else head = { ...self, QuanHe: 'Chủ hộ' };

  return {
    SoDinhDanh: id,
    SoCMND: !minor && born.year <= 1995 && random() < 0.45 ? `0${provinceCode.slice(1)}${digits(6)}`.slice(0, 9) : null,
    HoVaTen: name,
    GioiTinh: sex === 'male' ? '1' : '2',
    DanToc: { Ma: ethnic[group][0], Ten: ethnic[group][1] },
    TonGiao: weighted(religions),
    TinhTrangHonNhan: marital[status],
    NhomMau: weighted([['A', 21], ['B', 28], ['AB', 6], ['O', 42], [null, 3]]),
    NgayThangNamSinh: born.text,
    QuocTich: { Ma: 'VN', Ten: 'Việt Nam' },
    ThuongTru: lives,
    NoiOHienTai: current,
    QueQuan: provinceAddress(homeProvince),
    NoiDangKyKhaiSinh: provinceAddress(provinceCode),
    Cha: father,
    Me: mother,
    VoChong: spouse,
    NguoiDaiDien: minor ? { HoVaTen: father.HoVaTen, SoDinhDanh: father.SoDinhDanh } : null,
    ChuHo: head,
    SoSoHoKhau: `${provinceCode.slice(1)}${digits(7)}`,
  };
}

const citizens = [];
for (let i = 0; i < 224; i++) citizens.push(citizen(i % 37 === 36));

// ---- submissions -------------------------------------------------------------------------------
// One row per item of the portal's feed, in feed order: procedure, applicant kind (c citizen,
// b business, a state agency, o other organisation), channel, branch handed in at, when
// (Vietnam time), and what is wrong with it, if anything.
const plan = [
  ['1.010819', 'c', 'online', null, '2024-12-02 08:15'],
  ['1.012756', 'c', 'inPerson', 'TAYHO', '2024-12-03 09:40'],
  ['2.001199', 'c', 'online', null, '2024-12-04 21:05'],
  ['1.002804', 'c', 'inPerson', 'CAUGIAY', '2024-12-05 14:20'],
  ['2.002006', 'b', 'online', null, '2024-12-07 10:30'],
  ['1.012761', 'c', 'inPerson', 'CAUGIAY', '2024-12-10 10:05'],
  ['1.000105', 'b', 'online', null, '2024-12-12 16:45'],
  ['1.010819', 'c', 'online', null, '2024-12-15 22:30', { idWrongLength: true }],
  ['1.001432', 'c', 'inPerson', 'CAUGIAY', '2024-12-18 08:05'],
  ['1.003746', 'b', 'publicPostal', 'TAYHO', '2024-12-20 15:10'],
  ['1.012265', 'c', 'online', null, '2024-12-24 11:50'],
  ['1.010727', 'b', 'inPerson', 'TAYHO', '2024-12-27 09:00'],
  ['1.012770', 'c', 'online', null, '2025-01-01 09:00'],
  ['2.001876', 'a', 'inPerson', 'TAYHO', '2025-01-03 13:45'],
  ['1.005088', 'c', 'online', null, '2025-01-07 07:10', { otherName: true }],
  ['1.009645', 'b', 'online', null, '2025-01-09 20:00'],
  ['1.004226', 'c', 'inPerson', 'TAYHO', '2025-01-13 10:40'],
  ['1.008891', 'c', 'online', null, '2025-01-15 12:15'],
  ['1.999999', 'c', 'online', null, '2025-01-17 09:30', { unknownProcedure: true }],
  ['1.002859', 'b', 'inPerson', 'TAYHO', '2025-01-21 15:30'],
  ['1.003044', 'c', 'online', null, '2025-01-29 10:00'],
  ['1.001612', 'c', 'online', null, '2025-02-04 08:45', { drop: ['ChuHoSo'] }],
  ['1.000929', 'b', 'inPerson', 'CAUGIAY', '2025-02-06 09:15'],
  ['1.012756', 'c', 'online', null, '2025-02-10 23:40'],
  ['1.005327', 'c', 'inPerson', 'TAYHO', '2025-02-12 14:00'],
  ['2.002006', 'b', 'online', null, '2025-02-28 16:30'],
  [null, null, null, null, null, { repeatOf: 24 }],
  ['1.001612', 'c', 'online', null, '2025-03-03 08:20'],
  ['1.002804', 'c', 'inPerson', 'TAYHO', '2025-03-05 10:10'],
  ['1.010819', 'c', 'online', null, '2025-03-08 19:30', { notInDatabase: true }],
  ['1.004253', 'b', 'online', null, '2025-03-12 09:00'],
  ['1.000105', 'b', 'inPerson', 'CAUGIAY', '2025-03-14 13:35'],
  ['1.012761', 'c', 'online', null, '2025-03-19 06:30', { otherBirthDate: true }],
  ['1.004913', 'a', 'online', null, '2025-03-24 10:00'],
  ['1.003815', 'b', 'online', null, '2025-04-01 14:00'],
  ['2.000002', 'b', 'online', null, '2025-04-03 11:00', { unknownProcedure: true }],
  ['1.012265', 'c', 'inPerson', 'CAUGIAY', '2025-04-08 09:45'],
  ['1.010041', 'c', 'online', null, '2025-04-26 10:30'],
  ['1.009986', 'c', 'online', null, '2025-04-30 08:00', { idUnknownProvince: true }],
  ['1.012756', 'c', 'inPerson', 'TAYHO', '2025-05-06 07:05'],
  ['1.001455', 'b', 'online', null, '2025-05-15 17:20'],
  ['1.004616', 'c', 'inPerson', 'CAUGIAY', '2025-05-20 16:50'],
  ['1.003822', 'o', 'publicPostal', 'CAUGIAY', '2025-05-27 10:00'],
  ['1.001612', 'c', 'online', null, '2025-06-03 12:00', { drop: ['NgayNopHoSo'] }],
  ['2.000620', 'b', 'inPerson', 'CAUGIAY', '2025-06-10 08:30'],
  ['1.009972', 'c', 'online', null, '2025-06-18 21:45', { nameAsTyped: 'upper' }],
  ['1.012770', 'c', 'inPerson', 'CAUGIAY', '2025-06-25 14:40'],
  ['1.009650', 'b', 'online', null, '2025-07-02 10:15'],
  ['1.005092', 'c', 'online', null, '2025-07-10 22:10', { idOtherBirthYear: true }],
  ['1.000459', 'b', 'inPerson', 'TAYHO', '2025-07-16 09:20'],
  ['1.003619', 'b', 'online', null, '2025-07-23 15:00'],
  ['1.008432', 'c', 'online', null, '2025-07-30 08:30', { drop: ['SoGiayToChuHoSo', 'DinhDanhCHS'] }],
  ['1.012761', 'c', 'inPerson', 'TAYHO', '2025-08-06 13:30'],
  ['1.001071', 'b', 'online', null, '2025-08-13 20:20'],
  ['1.001035', 'b', 'inPerson', 'TAYHO', '2025-08-20 10:50'],
  ['1.010819', 'c', 'online', null, '2025-09-02 09:00', { otherName: true, otherBirthDate: true }],
  ['1.005433', 'a', 'online', null, '2025-09-10 11:15'],
  ['2.001199', 'c', 'online', null, '2025-09-17 16:00', { nameAsTyped: 'spaced' }],
  ['1.004458', 'b', 'inPerson', 'CAUGIAY', '2025-09-24 15:45'],
  ['1.001809', 'o', 'online', null, '2025-10-08 09:30'],
  ['1.012756', 'c', 'online', null, '2025-10-15 10:00', { submittedAtText: '15/10/2025 10:00' }],
  [null, null, null, null, null, { repeatOf: 40, changed: { SoDienThoai: '0912000111' } }],
  ['2.000591', 'b', 'online', null, '2025-11-05 14:10'],
  ['1.001865', 'b', 'online', null, '2025-11-12 08:55'],
  ['1.012756', 'c', 'online', null, '2025-11-20 19:00'],
];

const businesses = [
  'Công ty TNHH Thương mại và Dịch vụ Hồng Phát', 'Công ty Cổ phần Công nghệ Sao Việt', 'Công ty TNHH Vận tải Minh Long',
  'Công ty Cổ phần Dược phẩm An Khang', 'Công ty TNHH Du lịch Hồ Tây Xanh', 'Công ty TNHH Giáo dục Ánh Dương',
  'Công ty Cổ phần Xây dựng Thăng Long Việt', 'Công ty TNHH Thực phẩm Sạch Ba Vì', 'Công ty Cổ phần Truyền thông Số Hà Thành',
  'Công ty TNHH Cơ khí Chính xác Đông Anh', 'Công ty TNHH Phân phối Đồ uống Kim Liên', 'Công ty Cổ phần Khách sạn Hồ Gươm',
  'Công ty TNHH Thể thao Năng Động', 'Văn phòng công chứng Nguyễn Trãi', 'Công ty TNHH Môi trường Xanh Sông Hồng',
  'Công ty Cổ phần Nước sạch Đông Anh', 'Công ty TNHH Tư vấn Nhân lực Thủ Đô', 'Công ty TNHH In ấn Bao bì Hà Nội',
  'Công ty Cổ phần Phòng khám Đa khoa Tâm An', 'Công ty TNHH Sản xuất Linh kiện Điện tử Quang Minh',
];
const agencies = ['Trường Trung học phổ thông Tây Hồ', 'Ủy ban nhân dân phường Quảng An', 'Trung tâm Văn hóa Thông tin và Thể thao quận Cầu Giấy'];
const others = ['Ban vận động thành lập Hội Cựu học sinh Trường Chu Văn An', 'Câu lạc bộ Mỹ thuật Trẻ Hà Nội'];

const foldAscii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
const dayOff = new Set(calendar.years.flatMap((y) => y.daysOff.map((d) => d.date)));
const workedWeekend = new Set(calendar.years.flatMap((y) => (y.workingWeekends || []).map((d) => d.date)));

function assertCounterOpen(when, branch) {
  const [date, time] = when.split(' ');
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const working = workedWeekend.has(date) || (weekday !== 0 && weekday !== 6 && !dayOff.has(date));
  const minutes = Number(time.slice(0, 2)) * 60 + Number(time.slice(3));
  const open = (minutes >= 420 && minutes < 690) || (minutes >= 810 && minutes < 1020);
  if (!working || !open) throw new Error(`${when}: the ${branch} counter is closed then; in-person submissions need a working day and hour`);
}

const procedureByCode = Object.fromEntries(procedures.map((p) => [p.code, p]));
const sequenceByDay = {};
let citizenCursor = 0;
let documentId = 88200;
const nextCitizen = () => {
  while (citizens[citizenCursor].NguoiDaiDien) citizenCursor++;
  return citizens[citizenCursor++];
};
const lcFirst = (s) => s.charAt(0).toLowerCase() + s.slice(1);

function applicantOf(kind, index, defect) {
  if (kind === 'b') return { name: businesses[index % businesses.length], id: `01${digits(8)}`, kind: '2' };
  if (kind === 'a') return { name: agencies[index % agencies.length], id: `10${digits(5)}`, kind: '3' };
  if (kind === 'o') return { name: others[index % others.length], id: `01${digits(8)}`, kind: '4' };

  let person = nextCitizen();
  if (defect.notInDatabase) {
    // A well-formed personal ID the database does not hold.
    const sex = person.GioiTinh === '1' ? 'male' : 'female';
    const born = birthDate(1970, 2000);
    const id = personalId('001', born.year, sex);
    usedIds.add(id);
    person = { ...person, SoDinhDanh: id, NgayThangNamSinh: born.text };
  }

  let name = fullName(person.HoVaTen);
  let birth = person.NgayThangNamSinh;
  let id = person.SoDinhDanh;
  if (defect.otherName) {
    const sex = person.GioiTinh === '1' ? 'male' : 'female';
    const other = given[sex].find((g) => foldAscii(g).toUpperCase() !== foldAscii(person.HoVaTen.Ten).toUpperCase() && foldAscii(g).length > 2);
    name = fullName({ ...person.HoVaTen, Ten: other });
  }
  if (defect.otherBirthDate) {
    const day = Number(birth.slice(6));
    birth = `${birth.slice(0, 6)}${pad(day <= 14 ? day + 9 : day - 9, 2)}`;
  }
  if (defect.nameAsTyped === 'upper') name = foldAscii(name).toUpperCase();
  if (defect.nameAsTyped === 'spaced') name = `  ${name.split(' ').join('   ')} `;
  if (defect.idWrongLength) id = id.slice(0, 11);
  if (defect.idUnknownProvince) id = `099${id.slice(3)}`;
  if (defect.idOtherBirthYear) id = `${id.slice(0, 4)}${pad((Number(id.slice(4, 6)) + 3) % 100, 2)}${id.slice(6)}`;

  const handle = foldAscii(fullName(person.HoVaTen)).toLowerCase().split(' ');
  return {
    name, id, kind: '1', birth, sex: person.GioiTinh,
    email: `${handle.slice(-1)[0]}.${handle[0]}${int(10, 99)}@example.com`,
    phone: `${pick(['09', '03', '08', '07'])}${digits(8)}`,
    address: [person.NoiOHienTai.ChiTiet, person.NoiOHienTai.TenXa, person.NoiOHienTai.TenHuyen, person.NoiOHienTai.TenTinh].filter(Boolean).join(', '),
  };
}

const channelCode = { inPerson: '1', online: '2', publicPostal: '3' };
const submissions = [];
plan.forEach(([code, kind, channel, branch, when, defect = {}], index) => {
  if (defect.repeatOf) {
    submissions.push({ ...submissions[defect.repeatOf - 1], ...(defect.changed || {}) });
    return;
  }
  if (channel === 'inPerson') assertCounterOpen(when, branch);

  const procedure = procedureByCode[code];
  if (!procedure && !defect.unknownProcedure) throw new Error(`${code} is not in procedures.json`);
  const [date, time] = when.split(' ');
  const yymmdd = date.slice(2).replace(/-/g, '');
  sequenceByDay[yymmdd] = (sequenceByDay[yymmdd] || int(40, 900)) + 1;
  const applicant = applicantOf(kind, index, defect);
  const submitted = `${date.replace(/-/g, '')}${time.replace(':', '')}${pad(int(0, 59), 2)}`;
  const online = channel === 'online';
  const fees = ((procedure && procedure.fees) || []).map((f) => ({
    TenPhiLePhi: f.name, MaPhiLePhi: f.code, HinhThucThu: online ? 'Trực tuyến' : 'Trực tiếp', Gia: f.amount, LoaiPhiLePhi: f.name.startsWith('Lệ phí') ? '2' : '1',
  }));
  const documents = [
    `Đơn đề nghị ${lcFirst(procedure ? procedure.name : 'giải quyết thủ tục hành chính')}`.slice(0, 120),
    kind === 'c' ? 'Bản sao Căn cước công dân' : 'Bản sao Giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập',
  ].slice(0, int(1, 2)).map((name, i) => {
    const id = `TD-${documentId++}`;
    return { TepDinhKemId: id, TenTepDinhKem: name, MaThanhPhanHoSo: `TP${pad(i + 1, 2)}`, DuongDanTaiTepTin: `https://dichvucong.gov.vn/files/${id}.pdf`, DuocSoHoa: !online };
  });

  const item = {
    MaHoSo: `G22.99-${yymmdd}-${pad(sequenceByDay[yymmdd], 6)}`,
    MaTTHC: code,
    TenTTHC: procedure ? procedure.name : 'Thủ tục không có trong danh mục của thành phố',
    MaLinhVuc: procedure ? procedure.fieldCode : null,
    TenLinhVuc: procedure ? procedure.fieldName : null,
    KenhThucHien: channelCode[channel],
    ChuHoSo: applicant.name,
    SoGiayToChuHoSo: applicant.id,
    LoaiDoiTuong: applicant.kind,
    NgaySinhChuHoSo: applicant.birth,
    GioiTinhChuHoSo: applicant.sex,
    DiaChiChuHoSo: applicant.address,
    Email: applicant.email || `lienhe${int(100, 999)}@example.com`,
    SoDienThoai: applicant.phone || `024${digits(8)}`,
    TrichYeuHoSo: procedure ? `Đề nghị ${lcFirst(procedure.name)}`.slice(0, 300) : 'Đề nghị giải quyết thủ tục hành chính',
    NgayNopHoSo: defect.submittedAtText || submitted,
    TrangThaiHoSo: '1',
    DonViTiepNhan: branch,
    DinhDanhCHS: kind === 'c' ? [{ LoaiDinhDanh: '1', SoDinhDanh: applicant.id }] : null,
    TaiKhoanDuocXacThucVoiVNeID: online && kind === 'c',
    DuocThanhToanTrucTuyen: online && fees.length > 0,
    TaiLieuNop: documents,
    DanhSachLePhi: fees,
  };
  for (const field of defect.drop || []) delete item[field];
  for (const [k, v] of Object.entries(item)) if (v === null || v === undefined) delete item[k];
  submissions.push(item);
});

fs.mkdirSync(data, { recursive: true });
writeJson(path.join(data, 'citizens.json'), {
  notes: [
    'Synthetic citizens of the National Population Database stand-in, each exactly as the database reply carries it (data of TraCuuThongTinCongDan). No real person is meant.',
    'SoDinhDanh: 12 digits, province of birth registration (3), century-and-sex digit (0/1 1900s male/female, 2/3 2000s), two digits of the birth year, 6 random digits; agrees with NoiDangKyKhaiSinh, NgayThangNamSinh and GioiTinh (1 male, 2 female).',
    'Address codes: province (2 digits), district (3) and ward (5) of the national list of administrative units before the 2025 reorganisation, given for Hanoi; elsewhere only the province. Religion and marital-status codes are the stand-in\'s own.',
    'Made by mocks/tools/synthesize.js (seeded, the same every run); the mappings are built from this file by mocks/tools/build.js.',
  ],
  citizens,
});
writeJson(path.join(data, 'submissions.json'), {
  notes: [
    'Synthetic submissions of the National Public Service Portal stand-in, in feed order, each exactly as LayDanhSachHoSoMoi lists it (the portal\'s field names, yyyyMMddHHmmss in Vietnam time).',
    'Some are bad on purpose (malformed ID, unknown procedure, the same MaHoSo twice, a missing field, an identity that does not match the population data); submissions.expected.json says what must happen to each.',
    'Made by mocks/tools/synthesize.js (seeded, the same every run).',
  ],
  submissions,
});
console.log(`citizens: ${citizens.length}, submissions: ${submissions.length}`);

function readJson(file) { return JSON.parse(fs.readFileSync(file, 'utf8')); }
function writeJson(file, value) { fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`); }

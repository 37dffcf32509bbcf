// VietFHIR statistics dashboard (docs/dashboard.md). Plain script, no build step.
// Signs the user in with OpenID Connect (authorization code + PKCE, public client), then reads the
// statistics from /fhir/Measure/<id>/$evaluate-measure with the user's token and draws them with ECharts.
'use strict';
(function () {

  const TEXT = {
    vi: {
      title: 'Thống kê y tế', publicPages: 'Công khai thông tin cơ sở', signIn: 'Đăng nhập', signOut: 'Đăng xuất',
      signInNeeded: 'Số liệu thống kê chỉ dành cho người dùng đã đăng nhập, cho mục đích y tế công cộng.',
      signInUnavailable: 'Chưa cấu hình đăng nhập (vietfhir.dashboard.issuer) hoặc không đọc được cấu hình của máy chủ định danh.',
      signInFailed: 'Đăng nhập không thành công', signInState: 'Phản hồi đăng nhập không khớp với yêu cầu (state); hãy đăng nhập lại.',
      sessionExpired: 'Phiên đăng nhập đã hết hạn; hãy đăng nhập lại.',
      periodStart: 'Từ ngày', periodEnd: 'Đến ngày', province: 'Tỉnh/thành phố', facility: 'Cơ sở khám chữa bệnh', all: 'Tất cả',
      encounters: 'Lượt khám chữa bệnh', admissions: 'Lượt nhập viện', discharges: 'Lượt ra viện', deaths: 'Số tử vong',
      lengthOfStay: 'Ngày điều trị bình quân', morbidity: 'Chẩn đoán',
      byMonth: 'Theo tháng', byProvince: 'Lượt khám chữa bệnh theo tỉnh/thành phố', byAge: 'Theo nhóm tuổi',
      bySex: 'Theo giới tính', byEthnicity: 'Theo dân tộc', byOccupation: 'Theo nghề nghiệp',
      topMorbidity: 'Bệnh tật: 10 mã ICD-10 hàng đầu', topDeaths: 'Tử vong: 10 nguyên nhân hàng đầu (ICD-10)',
      suppressedNote: 'Ô có ít người hơn ngưỡng bảo mật được ẩn (ghi “ẩn”).', suppressed: 'ẩn',
      loading: 'Đang tải số liệu…', updated: 'Số liệu cập nhật lúc', noData: 'Không có số liệu',
      male: 'Nam', female: 'Nữ', other: 'Khác', unknown: 'Không rõ', rank: 'Hạng', days: 'ngày'
    },
    en: {
      title: 'Health statistics', publicPages: 'Facility public disclosure', signIn: 'Sign in', signOut: 'Sign out',
      signInNeeded: 'The statistics are for signed-in users only, for public health purposes.',
      signInUnavailable: 'Sign-in is not configured (vietfhir.dashboard.issuer) or the identity provider\'s configuration cannot be read.',
      signInFailed: 'Sign-in failed', signInState: 'The sign-in response does not match the request (state); please sign in again.',
      sessionExpired: 'Your session has expired; please sign in again.',
      periodStart: 'From', periodEnd: 'To', province: 'Province', facility: 'Facility', all: 'All',
      encounters: 'Encounters', admissions: 'Admissions', discharges: 'Discharges', deaths: 'Deaths',
      lengthOfStay: 'Mean length of stay', morbidity: 'Diagnoses',
      byMonth: 'By month', byProvince: 'Encounters by province', byAge: 'By age band',
      bySex: 'By sex', byEthnicity: 'By ethnicity', byOccupation: 'By occupation',
      topMorbidity: 'Morbidity: top 10 ICD-10 codes', topDeaths: 'Deaths: top 10 causes (ICD-10)',
      suppressedNote: 'Cells with fewer people than the privacy threshold are hidden (shown as “suppressed”).', suppressed: 'suppressed',
      loading: 'Loading…', updated: 'Figures as of', noData: 'No data',
      male: 'Male', female: 'Female', other: 'Other', unknown: 'Unknown', rank: 'Rank', days: 'days'
    }
  };
  // CSV column names: Vietnamese first, English beside (as the server's own CSV downloads)
  const COLUMNS = {
    month: 'Tháng / Month', province: 'Tỉnh / Province', code: 'Mã / Code', name: 'Tên / Name',
    count: 'Số lượng / Count', ageBand: 'Nhóm tuổi / Age band', sex: 'Giới tính / Sex',
    encounters: 'Lượt khám / Encounters', admissions: 'Nhập viện / Admissions',
    discharges: 'Ra viện / Discharges', deaths: 'Tử vong / Deaths'
  };
  const MEASURES = {
    encounters: 'vn-encounters', admissions: 'vn-admissions', discharges: 'vn-discharges',
    deaths: 'vn-deaths', lengthOfStay: 'vn-length-of-stay', morbidity: 'vn-morbidity'
  };
  const AGE_BANDS = ['0-4', '5-14', '15-24', '25-34', '35-44', '45-54', '55-64', '65+'];
  const SUPPRESSED = 'https://vietfhir.org/fhir/StructureDefinition/vn-ext-suppressed';
  const KEYS = { lang: 'vietfhir.dashboard.lang', token: 'vietfhir.dashboard.token', pkce: 'vietfhir.dashboard.pkce' };

  let lang = localStorage.getItem(KEYS.lang) === 'en' ? 'en' : 'vi';
  let config = null;
  let reports = null;
  const charts = {};   // name -> ECharts instance
  const shown = {};    // name -> { columns, rows }: exactly what a chart shows, for its CSV
  const options = { province: new Map(), facility: new Map() };
  let loads = 0;       // the latest load: an older answer arriving late is dropped

  const $ = (selector) => document.querySelector(selector);
  const t = (key) => TEXT[lang][key] || key;

  // ---------- language ----------

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.title = t('title') + ' — VietFHIR';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-lang]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.lang === lang)));
    if (reports) draw();
  }

  // ---------- sign-in: OpenID Connect authorization code flow with PKCE (RFC 7636, S256) ----------

  function randomText() {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    return base64url(bytes);
  }

  function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function redirectUri() {
    return location.origin + location.pathname;
  }

  async function signIn() {
    const verifier = randomText();
    const state = randomText();
    sessionStorage.setItem(KEYS.pkce, JSON.stringify({ verifier, state }));
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const url = new URL(config.signIn.authorizationEndpoint);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: config.signIn.clientId, redirect_uri: redirectUri(),
      scope: config.signIn.scopes, state, code_challenge: challenge, code_challenge_method: 'S256',
      ui_locales: lang
    }).toString();
    location.assign(url.toString());
  }

  /** Back from the issuer with ?code=…&state=…: the code and the verifier are exchanged for tokens. */
  async function finishSignIn() {
    const params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) return;
    history.replaceState(null, '', location.pathname);   // the code is single-use: off the address bar
    const saved = JSON.parse(sessionStorage.getItem(KEYS.pkce) || 'null');
    sessionStorage.removeItem(KEYS.pkce);
    if (params.has('error')) throw new Error(t('signInFailed') + ': ' + params.get('error'));
    if (!saved || saved.state !== params.get('state')) throw new Error(t('signInState'));
    const response = await fetch(config.signIn.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
        client_id: config.signIn.clientId, code_verifier: saved.verifier
      })
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new Error(t('signInFailed') + ': ' + (body.error_description || body.error || response.status));
    }
    const session = {
      accessToken: body.access_token,
      expires: Date.now() + (body.expires_in || 300) * 1000,
      user: userName(body.id_token)
    };
    // sessionStorage: this tab only, gone when it closes; never localStorage
    sessionStorage.setItem(KEYS.token, JSON.stringify(session));
  }

  /** The name to show, from the ID token's claims (shown only: /fhir verifies the access token itself). */
  function userName(idToken) {
    try {
      const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(
        atob(idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
      return claims.name || claims.preferred_username || claims.sub || '';
    } catch (e) {
      return '';
    }
  }

  function session() {
    const saved = JSON.parse(sessionStorage.getItem(KEYS.token) || 'null');
    return saved && saved.expires > Date.now() ? saved : null;
  }

  function signOut() {
    sessionStorage.removeItem(KEYS.token);
    reports = null;
    showSignedIn(false);
  }

  function showSignedIn(signedIn) {
    $('#data').hidden = !signedIn;
    $('#signed-out').hidden = signedIn;
    $('#sign-in').hidden = signedIn || !config.signIn;
    $('#sign-out').hidden = !signedIn;
    $('#user').textContent = signedIn ? session().user : '';
  }

  // ---------- statistics from /fhir ----------

  function filters() {
    return {
      periodStart: $('#period-start').value, periodEnd: $('#period-end').value,
      province: $('#province').value, facility: $('#facility').value
    };
  }

  async function evaluate(measure, filter) {
    const query = new URLSearchParams({ periodStart: filter.periodStart, periodEnd: filter.periodEnd });
    if (filter.province) query.set('province', filter.province);
    if (filter.facility) query.set('facility', filter.facility);
    const response = await fetch(config.fhirBase + '/Measure/' + measure + '/$evaluate-measure?' + query, {
      headers: {
        Authorization: 'Bearer ' + session().accessToken,
        'X-Purpose-Of-Use': config.purpose,
        Accept: 'application/fhir+json'
      }
    });
    if (response.status === 401) {
      signOut();
      throw new Error(t('sessionExpired'));
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const issue = body && body.issue && body.issue[0];
      throw new Error(measure + ': HTTP ' + response.status + (issue ? ' — ' + (issue.diagnostics || issue.details && issue.details.text || '') : ''));
    }
    return body;
  }

  async function load() {
    if (!session()) { signOut(); return; }
    const serial = ++loads;
    setStatus(t('loading'));
    try {
      const filter = filters();
      const names = Object.keys(MEASURES);
      const answers = await Promise.all(names.map((name) => evaluate(MEASURES[name], filter)));
      if (serial !== loads) return;
      reports = Object.fromEntries(names.map((name, i) => [name, answers[i]]));
      rememberOptions(filter);
      draw();
      setStatus(t('updated') + ' ' + new Date().toLocaleTimeString(lang));
      document.body.dataset.loaded = String(serial);   // read by the browser tests
    } catch (e) {
      if (serial === loads) setStatus(e.message, true);
    }
  }

  function setStatus(text, error) {
    $('#status').textContent = text;
    $('#status').classList.toggle('error', !!error);
  }

  /** A population's count, or null when suppressed (count absent, flagged by the extension). */
  function count(population) {
    if (!population) return null;
    const flagged = (population.extension || []).some((e) => e.url === SUPPRESSED && e.valueBoolean);
    return flagged || population.count === undefined ? null : population.count;
  }

  function total(report) {
    return count(report.group && report.group[0].population && report.group[0].population[0]);
  }

  /** The strata of one stratifier: [{ code, label, value }] (value null = suppressed). */
  function strata(report, stratifier) {
    const group = report.group && report.group[0];
    const found = ((group && group.stratifier) || []).find((s) =>
      s.code && s.code[0] && ((s.code[0].coding && s.code[0].coding[0].code === stratifier) || s.code[0].text === stratifier));
    return ((found && found.stratum) || []).map((s) => {
      const coding = (s.value && s.value.coding && s.value.coding[0]) || {};
      const code = coding.code || (s.value && s.value.text) || '';
      const flagged = (s.extension || []).some((e) => e.url === SUPPRESSED && e.valueBoolean);
      return { code, label: coding.display || code, value: flagged ? null : count(s.population && s.population[0]) };
    });
  }

  // ---------- filters ----------

  /** Province and facility choices come from the answers themselves: only places with records. */
  function rememberOptions(filter) {
    if (!filter.province) strata(reports.encounters, 'province').forEach((s) => options.province.set(s.code, s.label));
    if (!filter.facility) {
      options.facility.clear();
      strata(reports.encounters, 'facility').forEach((s) => options.facility.set(s.code, s.label));
    }
    fillSelect($('#province'), options.province);
    fillSelect($('#facility'), options.facility);
  }

  function fillSelect(select, choices) {
    const chosen = select.value;
    select.replaceChildren(new Option(t('all'), ''));
    [...choices].sort((a, b) => a[1].localeCompare(b[1], 'vi')).forEach(([code, label]) =>
      select.add(new Option(label === code ? code : label + ' (' + code + ')', code)));
    select.value = chosen;
    select.options[0].dataset.i18n = 'all';
  }

  // ---------- drawing ----------

  function draw() {
    drawTiles();
    drawMonths();
    drawProvinces();
    drawBars('age', strata(reports.encounters, 'age-band')
      .sort((a, b) => AGE_BANDS.indexOf(a.code) - AGE_BANDS.indexOf(b.code)), COLUMNS.ageBand, false);
    drawBars('sex', strata(reports.encounters, 'sex').map((s) => ({ ...s, label: t(s.code) })), COLUMNS.sex, false);
    drawBars('ethnicity', ranked(strata(reports.encounters, 'ethnicity')), COLUMNS.name, true);
    drawBars('occupation', ranked(strata(reports.encounters, 'occupation')), COLUMNS.name, true);
    drawBars('morbidity', ranked(strata(reports.morbidity, 'icd10-code')).slice(0, 10), COLUMNS.name, true);
    drawBars('causes', ranked(strata(reports.deaths, 'icd10-code')).slice(0, 10), COLUMNS.name, true);
  }

  function ranked(rows) {
    return rows.slice().sort((a, b) => (b.value || 0) - (a.value || 0));
  }

  function formatted(value, digits) {
    if (value === null || value === undefined) return t('suppressed');
    return Number(value).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits || 0 });
  }

  function drawTiles() {
    ['encounters', 'admissions', 'discharges', 'deaths'].forEach((name) => setTile(name, total(reports[name]), 0));
    const score = reports.lengthOfStay.group && reports.lengthOfStay.group[0].measureScore;
    setTile('length-of-stay', score ? score.value : null, 1, ' ' + t('days'));
  }

  function setTile(name, value, digits, unit) {
    const tile = $('#tile-' + name);
    tile.dataset.value = value === null || value === undefined ? '' : String(value);
    tile.querySelector('.value').textContent = formatted(value, digits) + (value !== null && unit ? unit : '');
  }

  function drawMonths() {
    const series = ['encounters', 'admissions', 'discharges', 'deaths'];
    const byMonth = new Map();
    series.forEach((name, i) => strata(reports[name], 'month').forEach((s) => {
      if (!byMonth.has(s.code)) byMonth.set(s.code, series.map(() => 0));
      byMonth.get(s.code)[i] = s.value;
    }));
    const months = [...byMonth.keys()].sort();
    shown.months = {
      columns: [COLUMNS.month].concat(series.map((name) => COLUMNS[name])),
      rows: months.map((m) => [m].concat(byMonth.get(m)))
    };
    render('months', {
      legend: { top: 0 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: months },
      yAxis: { type: 'value' },
      series: series.map((name, i) => ({ name: t(name), type: 'line', data: months.map((m) => byMonth.get(m)[i]) }))
    }, months.length);
  }

  function drawProvinces() {
    const rows = ranked(strata(reports.encounters, 'province'));
    shown.provinces = {
      columns: [COLUMNS.code, COLUMNS.province, COLUMNS.encounters],
      rows: rows.map((r) => [r.code, r.label, r.value])
    };
    const table = document.querySelector('[data-chart="provinces"] table');
    table.replaceChildren();
    const head = table.createTHead().insertRow();
    [t('rank'), t('province'), t('encounters')].forEach((text) => head.appendChild(document.createElement('th')).textContent = text);
    const body = table.createTBody();
    rows.forEach((r, i) => {
      const tr = body.insertRow();
      tr.insertCell().textContent = String(i + 1);
      tr.insertCell().textContent = r.label;
      const cell = tr.insertCell();
      cell.className = 'n';
      cell.textContent = formatted(r.value);
    });
    barChart('provinces', rows.slice(0, 20).reverse(), true);
  }

  function drawBars(name, rows, labelColumn, horizontal) {
    shown[name] = { columns: [COLUMNS.code, labelColumn, COLUMNS.count], rows: rows.map((r) => [r.code, r.label, r.value]) };
    barChart(name, horizontal ? rows.slice().reverse() : rows, horizontal);
  }

  function barChart(name, rows, horizontal) {
    const categories = { type: 'category', data: rows.map((r) => r.label), axisLabel: { width: 160, overflow: 'truncate' } };
    const values = { type: 'value' };
    render(name, {
      tooltip: { trigger: 'axis' },
      grid: { left: horizontal ? 170 : 50, right: 20, top: 20, bottom: 30 },
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: [{ type: 'bar', data: rows.map((r) => r.value), itemStyle: { color: '#0b5394' } }]
    }, rows.length);
  }

  function render(name, option, points) {
    const figure = document.querySelector('[data-chart="' + name + '"]');
    if (!charts[name]) {
      charts[name] = echarts.init(figure.querySelector('.chart'));
      addDownloads(figure, name);
    }
    option.animation = false;
    option.title = points ? undefined : { text: t('noData'), left: 'center', top: 'middle', textStyle: { color: '#9aa5b1' } };
    charts[name].setOption(option, true);
    figure.dataset.points = String(points);   // how many values are drawn (read by the browser tests)
  }

  // ---------- downloads: CSV from the data shown, PNG from the chart ----------

  function addDownloads(figure, name) {
    const place = figure.querySelector('.downloads');
    const csv = place.appendChild(document.createElement('button'));
    csv.type = 'button';
    csv.textContent = 'CSV';
    csv.dataset.download = 'csv';
    csv.addEventListener('click', () => downloadCsv(name));
    const png = place.appendChild(document.createElement('button'));
    png.type = 'button';
    png.textContent = 'PNG';
    png.dataset.download = 'png';
    png.addEventListener('click', () => save(charts[name].getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' }), fileName(name, 'png')));
  }

  function downloadCsv(name) {
    const quote = (v) => {
      const text = v === null || v === undefined ? t('suppressed') : String(v);
      return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
    };
    const lines = [shown[name].columns].concat(shown[name].rows).map((row) => row.map(quote).join(','));
    // UTF-8 with a byte order mark, so that Excel opens the Vietnamese text intact
    const blob = new Blob(['\uFEFF' + lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    save(url, fileName(name, 'csv'));
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function fileName(name, extension) {
    const f = filters();
    return ['vietfhir', name, f.periodStart, f.periodEnd, f.province, f.facility].filter(Boolean).join('_') + '.' + extension;
  }

  function save(href, name) {
    const link = document.createElement('a');
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // ---------- start ----------

  function defaultPeriod() {
    // the last twelve whole months
    const today = new Date();
    const end = new Date(Date.UTC(today.getFullYear(), today.getMonth(), 0));
    const start = new Date(Date.UTC(end.getUTCFullYear() - 1, end.getUTCMonth() + 1, 1));
    $('#period-start').value = start.toISOString().slice(0, 10);
    $('#period-end').value = end.toISOString().slice(0, 10);
  }

  async function start() {
    document.querySelectorAll('[data-lang]').forEach((b) => b.addEventListener('click', () => {
      lang = b.dataset.lang;
      localStorage.setItem(KEYS.lang, lang);
      applyLanguage();
    }));
    $('#sign-in').addEventListener('click', () => signIn().catch((e) => setStatus(e.message, true)));
    $('#sign-out').addEventListener('click', signOut);
    $('#filters').addEventListener('change', (e) => {
      if (e.target.id === 'province') $('#facility').value = '';
      load();
    });
    window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
    defaultPeriod();
    applyLanguage();
    config = await (await fetch('config.json')).json();
    $('#public-link').href = config.publicPages;
    try {
      await finishSignIn();
    } catch (e) {
      setStatus(e.message, true);
    }
    showSignedIn(!!session());
    if (!config.signIn) setStatus(t('signInUnavailable'), true);
    if (session()) await load();
  }

  document.addEventListener('DOMContentLoaded', start);
})();

import type { SignatureReport, VerificationReport } from './report.js';

export type Lang = 'vi' | 'en';

const T = {
  verdict: {
    valid: { vi: 'HỢP LỆ: tài liệu được ký hợp lệ và không bị thay đổi ngoài phạm vi cho phép.', en: 'VALID: the document is validly signed and unchanged beyond what is permitted.' },
    indeterminate: { vi: 'CHƯA XÁC ĐỊNH: chữ ký đúng về mặt toàn vẹn nhưng chưa đủ căn cứ để tin cậy.', en: 'INDETERMINATE: the signatures are intact but cannot be fully trusted.' },
    invalid: { vi: 'KHÔNG HỢP LỆ: chữ ký không hợp lệ hoặc tài liệu đã bị thay đổi sau khi ký.', en: 'INVALID: a signature is not valid or the document was changed after signing.' },
    unsigned: { vi: 'CHƯA KÝ: tài liệu không có chữ ký số nào.', en: 'NOT SIGNED: the document has no digital signature.' },
  },
  indication: {
    TOTAL_PASSED: { vi: 'Hợp lệ', en: 'Valid' },
    INDETERMINATE: { vi: 'Chưa xác định', en: 'Indeterminate' },
    TOTAL_FAILED: { vi: 'Không hợp lệ', en: 'Invalid' },
  },
  sub: {
    FORMAT_FAILURE: { vi: 'cấu trúc chữ ký hoặc tài liệu không hợp lệ', en: 'signature or document structure is not valid' },
    HASH_FAILURE: { vi: 'nội dung đã ký bị thay đổi', en: 'the signed content was modified' },
    SIG_CRYPTO_FAILURE: { vi: 'giá trị chữ ký không đúng', en: 'the signature value does not verify' },
    SIG_CONSTRAINTS_FAILURE: { vi: 'thuộc tính chữ ký không phù hợp', en: 'signature attributes are inconsistent' },
    CHAIN_CONSTRAINTS_FAILURE: { vi: 'chuỗi chứng thư số không hợp lệ', en: 'the certificate chain is not valid' },
    CRYPTO_CONSTRAINTS_FAILURE_NO_POE: { vi: 'thuật toán mật mã không còn an toàn', en: 'the cryptographic algorithm is no longer acceptable' },
    NO_CERTIFICATE_CHAIN_FOUND: { vi: 'chứng thư số không thuộc nguồn tin cậy đã chọn', en: 'the certificate does not chain to a trusted root' },
    NO_SIGNING_CERTIFICATE_FOUND: { vi: 'không tìm thấy chứng thư số của người ký', en: 'the signer certificate is missing' },
    OUT_OF_BOUNDS_NO_POE: { vi: 'chứng thư số đã hết hạn và không có dấu thời gian chứng minh thời điểm ký', en: 'the certificate has expired and no timestamp proves when it signed' },
    NOT_YET_VALID: { vi: 'chứng thư số chưa có hiệu lực', en: 'the certificate is not yet valid' },
    REVOKED: { vi: 'chứng thư số đã bị thu hồi trước thời điểm ký', en: 'the certificate was revoked before it signed' },
    REVOKED_NO_POE: { vi: 'chứng thư số đã bị thu hồi và không có dấu thời gian chứng minh ký trước đó', en: 'the certificate is revoked and no timestamp proves it signed before' },
    TRY_LATER: { vi: 'chưa kiểm tra được tình trạng thu hồi', en: 'revocation status could not be checked' },
  },
} as const;

/** A plain-text report for a person, Vietnamese by default. */
export function renderReport(report: VerificationReport, lang: Lang = 'vi'): string {
  const L = (x: { vi: string; en: string }): string => x[lang];
  const lines: string[] = [];
  lines.push(L(T.verdict[report.verdict]));
  lines.push(lang === 'vi' ? `Chính sách tin cậy: ${report.policy}  •  Số phiên bản: ${report.document.revisions}` : `Trust policy: ${report.policy}  •  Revisions: ${report.document.revisions}`);
  if (report.resultCode) {
    const rc = report.resultCode;
    const by = rc.signedBy.length ? (lang === 'vi' ? `được ký bởi chữ ký #${rc.signedBy.join(', #')}` : `signed by signature #${rc.signedBy.join(', #')}`) : lang === 'vi' ? 'KHÔNG được chữ ký nào xác nhận' : 'NOT covered by any signature';
    lines.push(`${lang === 'vi' ? 'Mã kết quả' : 'Result code'}: ${rc.value} (${by})`);
  }
  if (report.certifiedCopy) {
    const c = report.certifiedCopy;
    const who = (i: number | null): string => (i === null ? '—' : `#${i}`);
    lines.push(
      lang === 'vi'
        ? `Bản sao chứng thực: số ${c.certificationNumber}, quyển ${c.book}; người thực hiện ${who(c.officer)}, cơ quan ${who(c.agency)}${c.complete ? '' : ' (CHƯA ĐẦY ĐỦ)'}`
        : `Certified copy: number ${c.certificationNumber}, book ${c.book}; officer ${who(c.officer)}, agency ${who(c.agency)}${c.complete ? '' : ' (INCOMPLETE)'}`,
    );
  }
  for (const f of report.findings) lines.push(`  ! ${lang === 'vi' ? f.messageVi : f.message}`);
  for (const s of report.signatures) lines.push('', ...renderSignature(s, lang));
  if (report.modifications.length > 0) {
    lines.push('', lang === 'vi' ? 'Thay đổi sau chữ ký đầu tiên:' : 'Changes after the first signature:');
    for (const m of report.modifications) {
      const where = [m.object !== null ? `obj ${m.object}` : null, m.path].filter(Boolean).join(' ');
      const why = m.rule ?? (m.refusedBy ? `${lang === 'vi' ? 'bị từ chối bởi' : 'refused by'} ${m.refusedBy}` : lang === 'vi' ? 'không quy tắc nào cho phép' : 'no rule clears it');
      lines.push(`  ${m.verdict === 'allowed' ? '✓' : '✗'} [${lang === 'vi' ? 'phiên bản' : 'revision'} ${m.revision}${where ? `, ${where}` : ''}] ${lang === 'vi' ? m.reasonVi : m.reason} (${why})`);
    }
  }
  return lines.join('\n') + '\n';
}

function renderSignature(s: SignatureReport, lang: Lang): string[] {
  const vi = lang === 'vi';
  const out: string[] = [];
  const title = s.kind === 'timestamp' ? (vi ? 'Dấu thời gian tài liệu' : 'Document timestamp') : vi ? 'Chữ ký' : 'Signature';
  const ind = T.indication[s.indication][lang];
  const sub = s.subIndication ? ` (${T.sub[s.subIndication][lang]})` : '';
  out.push(`${title} #${s.index} «${s.field || '?'}»: ${ind}${sub}`);
  if (s.signer) {
    out.push(`  ${vi ? 'Người ký' : 'Signer'}: ${s.signer.commonName ?? '?'}${s.signer.kind ? ` (${s.signer.kind === 'organisation' ? (vi ? 'tổ chức' : 'organisation') : vi ? 'cá nhân' : 'personal'})` : ''}`);
    const agency = [...s.signer.organizationalUnits].reverse().concat(s.signer.organization ? [s.signer.organization] : []);
    if (agency.length) out.push(`  ${vi ? 'Cơ quan' : 'Agency'}: ${agency.join(', ')}`);
    if (s.signer.email) out.push(`  Email: ${s.signer.email}`);
  }
  const timestamped = s.timestamp !== null && s.timestamp.integrity === 'ok' && s.signingTime === s.timestamp.time;
  if (s.signingTime) out.push(`  ${vi ? 'Thời gian ký' : 'Signing time'}: ${vietnamTime(s.signingTime)}${timestamped ? (vi ? ' (có dấu thời gian)' : ' (timestamped)') : vi ? ' (theo máy người ký)' : ' (claimed by the signer)'}`);
  if (timestamped && s.claimedSigningTime && s.claimedSigningTime !== s.signingTime) {
    out.push(`  ${vi ? 'Thời gian theo máy người ký' : "Signer's clock"}: ${vietnamTime(s.claimedSigningTime)}`);
  }
  if (s.kind === 'signature' && s.timestamp) {
    const t = s.timestamp;
    const when = t.time ? vietnamTime(t.time) : '?';
    const state = t.integrity !== 'ok' ? (vi ? ' (KHÔNG HỢP LỆ)' : ' (DOES NOT VERIFY)') : t.chain?.trusted ? '' : vi ? ' (máy chủ không được tin cậy)' : ' (TSA not trusted)';
    out.push(`  ${vi ? 'Dấu thời gian' : 'Timestamp'}: ${when}${t.tsa ? `, ${vi ? 'máy chủ' : 'TSA'} «${t.tsa}»` : ''}${state}`);
  }
  out.push(`  ${vi ? 'Toàn vẹn' : 'Integrity'}: ${s.integrity === 'ok' ? (vi ? 'nội dung đã ký không bị thay đổi' : 'signed content unchanged') : vi ? 'HỎNG' : 'BROKEN'}${s.coversWholeDocument ? (vi ? ', bao phủ toàn bộ tài liệu' : ', covers the whole document') : ''}`);
  out.push(`  ${vi ? 'Chứng thư số' : 'Certificate'}: ${s.chain.trusted ? `${vi ? 'tin cậy, gốc' : 'trusted, root'} «${s.chain.anchor}»` : vi ? 'không tin cậy theo chính sách đã chọn' : 'not trusted under the chosen policy'}`);
  for (const p of s.chain.problems) out.push(`    - ${vi ? p.messageVi : p.message}`);
  out.push(`  ${vi ? 'Thu hồi' : 'Revocation'}: ${vi ? s.revocation.noteVi : s.revocation.note}`);
  if (s.padesLevel) out.push(`  PAdES: ${s.padesLevel}`);
  if (s.modification !== 'none') {
    out.push(`  ${vi ? 'Thay đổi sau khi ký' : 'Changes after signing'}: ${s.modification === 'allowed' ? (vi ? 'nội dung đã ký không đổi, các thay đổi sau nằm trong phạm vi cho phép' : 'signed content unchanged; later changes are permitted ones') : vi ? 'CÓ THAY ĐỔI ĐÁNG NGỜ' : 'SUSPICIOUS CHANGES'}`);
  }
  // Errors first: for a broken signature, what happened and what to do.
  const rank = { error: 0, warning: 1, info: 2 } as const;
  const findings = [...s.findings].sort((a, b) => rank[a.severity] - rank[b.severity]);
  for (const f of findings) out.push(`    ${f.severity === 'error' ? '✗' : '•'} ${vi ? f.messageVi : f.message}`);
  return out;
}

/** ISO 8601 in Vietnam time (+07:00), as Decree 30/2020 writes signing times. */
export function vietnamTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const local = new Date(t.getTime() + 7 * 3_600_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

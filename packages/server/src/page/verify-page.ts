/**
 * The public verification page: one self-contained HTML document (no external
 * assets), Vietnamese by default with an English switch, built on
 * POST /v1/verify. The PDF never leaves the request: nothing is stored.
 */
export const VERIFY_PAGE = `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kiểm tra chữ ký số PDF</title>
<style>
:root{--ok:#0a7d32;--warn:#a86400;--bad:#b00020;--fg:#1b1b1b;--muted:#5b5b5b;--line:#d9d9d9}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg);background:#f6f7f9}
header{display:flex;justify-content:space-between;align-items:center;padding:12px 16px;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:1.1rem;margin:0}
main{max-width:860px;margin:0 auto;padding:16px}
button,.btn{font:inherit;padding:8px 14px;border-radius:6px;border:1px solid var(--line);background:#fff;cursor:pointer}
#drop{display:block;border:2px dashed #8a8a8a;border-radius:10px;padding:32px 16px;text-align:center;background:#fff;cursor:pointer}
#drop.over{border-color:#1a5fb4;background:#eef4fc}
#drop input{display:none}
.verdict{margin:16px 0;padding:14px 16px;border-radius:8px;color:#fff;font-weight:600;font-size:1.1rem}
.verdict.valid{background:var(--ok)}.verdict.indeterminate,.verdict.valid.unchecked{background:var(--warn)}.verdict.invalid{background:var(--bad)}.verdict.unsigned{background:#5f6b7a}
.card{background:#fff;border:1px solid var(--line);border-left:6px solid var(--line);border-radius:8px;padding:12px 16px;margin:12px 0}
.card.valid{border-left-color:var(--ok)}.card.indeterminate,.card.unchecked{border-left-color:var(--warn)}.card.invalid{border-left-color:var(--bad)}
.card.copy{border-left-color:#1a5fb4}.card.copy.incomplete{border-left-color:var(--warn)}
.card h2{font-size:1.05rem;margin:0}
p.sigstatus{margin:4px 0 0;font-weight:600}p.sigstatus.valid{color:var(--ok)}p.sigstatus.indeterminate,p.sigstatus.unchecked{color:var(--warn)}p.sigstatus.invalid{color:var(--bad)}
dl{display:grid;grid-template-columns:minmax(120px,34%) 1fr;gap:4px 12px;margin:8px 0 0}
dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
ul.findings{margin:8px 0 0;padding-left:20px;color:var(--muted)}
ul.findings li.error{color:var(--bad);font-weight:600}
#status{color:var(--muted);min-height:1.5em}
footer{max-width:860px;margin:0 auto;padding:8px 16px 24px;font-size:.9rem;color:var(--muted)}
@media (max-width:520px){dl{grid-template-columns:1fr}dt{margin-top:6px}}
</style>
</head>
<body>
<header><h1 id="title">Kiểm tra chữ ký số PDF</h1><button id="lang" type="button" aria-label="Switch language">English</button></header>
<main>
<label id="drop"><input id="file" type="file" accept="application/pdf,.pdf"><span id="droptext">Chọn hoặc kéo thả tệp PDF vào đây</span></label>
<p id="status" role="status" aria-live="polite"></p>
<div id="result"></div>
</main>
<footer><a href="docs">Tài liệu API · API documentation</a></footer>
<script>
(function(){
var T={
 vi:{title:'Kiểm tra chữ ký số PDF',drop:'Chọn hoặc kéo thả tệp PDF vào đây',switchTo:'English',checking:'Đang kiểm tra…',
  valid:'Hợp lệ: mọi chữ ký đều hợp lệ và tài liệu không bị sửa đổi sau khi ký',indeterminate:'Chưa xác định: cần kiểm tra thêm (xem chi tiết từng chữ ký)',invalid:'Không hợp lệ',unsigned:'Chưa ký: tài liệu không có chữ ký số nào',
  sig:'Chữ ký',ts:'Dấu thời gian tài liệu',signer:'Người ký',org:'Cơ quan',time:'Thời gian ký',trust:'Tin cậy',trusted:'Có, theo chính sách',untrusted:'Không',
  tstamp:'Dấu thời gian',none:'Không có',rev:'Thu hồi',mod:'Sửa đổi sau khi ký',code:'Mã kết quả',integrity:'Toàn vẹn',intact:'Nguyên vẹn',broken:'Bị thay đổi',
  modv:{none:'Không có','allowed':'Có, được phép (ví dụ thêm chữ ký)','suspicious':'Có thay đổi đáng ngờ'},level:'Mức PAdES',file:'Tệp',error:'Không kiểm tra được tệp',claimed:'Thời gian theo máy người ký',tsBad:'không hợp lệ',modUnknown:'Không xác định: phiên bản đã ký không có trong tệp',
  validUnchecked:'Hợp lệ, nhưng chưa kiểm tra được tình trạng thu hồi của chứng thư số (xem chi tiết từng chữ ký)',validRevoked:'Hợp lệ, nhưng có chứng thư số đã bị thu hồi sau khi ký (xem chi tiết từng chữ ký)',
  st:{valid:'Hợp lệ',unchecked:'Hợp lệ, chưa kiểm tra được tình trạng thu hồi',revokedLater:'Hợp lệ, nhưng chứng thư số đã bị thu hồi sau thời điểm ký',indeterminate:'Chưa xác định',invalid:'Không hợp lệ'},
  why:'Lý do',noReason:'báo cáo không nêu lý do',
  copy:'Bản sao chứng thực điện tử',certNo:'Số chứng thực',book:'Quyển số',copyCode:'Mã kết quả',codeUnsigned:'không được chữ ký nào xác nhận',officer:'Chữ ký của người thực hiện chứng thực',agency:'Chữ ký của cơ quan',notFound:'Không tìm thấy',
  complete:'Đầy đủ',completeYes:'Có: số chứng thực, quyển số và mã kết quả được người chứng thực ký, sau đó cơ quan ký',completeNo:'Chưa đầy đủ: thiếu chữ ký của người chứng thực hoặc của cơ quan trên số chứng thực, quyển số và mã kết quả',
  locked:'Đã khóa',lockedYes:'Có: không thể ký thêm (chỉ được thêm dấu thời gian)',lockedNo:'Chưa khóa: tài liệu vẫn có thể được ký thêm',role:'Vai trò',roleOfficer:'Người thực hiện chứng thực',roleAgency:'Cơ quan chứng thực'},
 en:{title:'Check the digital signatures of a PDF',drop:'Choose or drop a PDF file here',switchTo:'Tiếng Việt',checking:'Checking…',
  valid:'Valid: every signature is valid and the document was not changed after signing',indeterminate:'Indeterminate: needs further checks (see each signature)',invalid:'Invalid',unsigned:'Not signed: the document has no digital signature',
  sig:'Signature',ts:'Document timestamp',signer:'Signed by',org:'Agency',time:'Signing time',trust:'Trusted',trusted:'Yes, under policy',untrusted:'No',
  tstamp:'Timestamp',none:'None',rev:'Revocation',mod:'Changes after signing',code:'Result code',integrity:'Integrity',intact:'Intact',broken:'Changed',
  modv:{none:'None','allowed':'Yes, allowed (e.g. further signatures)','suspicious':'Suspicious changes'},level:'PAdES level',file:'File',error:'The file could not be checked',claimed:"Signer's clock",tsBad:'does not verify',modUnknown:'Unknown: the signed version is not in this file',
  validUnchecked:'Valid, but the revocation status of the certificates was not checked (see each signature)',validRevoked:'Valid, but a certificate was revoked after signing (see each signature)',
  st:{valid:'Valid',unchecked:'Valid, revocation not checked',revokedLater:'Valid, but the certificate was revoked after the signing time',indeterminate:'Indeterminate',invalid:'Invalid'},
  why:'Reason',noReason:'the report gives no reason',
  copy:'Certified electronic copy',certNo:'Certification number',book:'Book',copyCode:'Result code',codeUnsigned:'not covered by any signature',officer:"Certifying officer's signature",agency:"Agency's signature",notFound:'Not found',
  complete:'Complete',completeYes:'Yes: the number, book and result code are signed by the certifying officer and then by the agency',completeNo:"Not complete: the number, book and result code lack the officer's or the agency's signature",
  locked:'Locked',lockedYes:'Yes: no further signatures are possible (only timestamps may be added)',lockedNo:'No: the document can still be signed further',role:'Role',roleOfficer:'Certifying officer',roleAgency:'Certifying agency'}
};
var lang=/(^|[?&])lang=en/.test(location.search)?'en':'vi';
var last=null,lastFile=null;
function $(id){return document.getElementById(id)}
function el(tag,cls,text){var e=document.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e}
function applyLang(){var t=T[lang];document.documentElement.lang=lang;document.title=t.title;$('title').textContent=t.title;$('droptext').textContent=t.drop;$('lang').textContent=t.switchTo;if(lastFile)check(lastFile);}
function row(dl,k,v){if(v==null||v==='')return;dl.appendChild(el('dt',null,k));dl.appendChild(el('dd',null,String(v)))}
// One format in both languages: dd/MM/yyyy HH:mm:ss in Vietnam time (UTC+7, no daylight saving).
function fmt(iso){if(!iso)return null;var ms=Date.parse(iso);if(isNaN(ms))return String(iso);var d=new Date(ms+7*36e5);function p(n){return (n<10?'0':'')+n}
 return p(d.getUTCDate())+'/'+p(d.getUTCMonth()+1)+'/'+d.getUTCFullYear()+' '+p(d.getUTCHours())+':'+p(d.getUTCMinutes())+':'+p(d.getUTCSeconds())+' (UTC+7)'}
function msg(f){return lang==='vi'?(f.messageVi||f.message):(f.message||f.messageVi)}
function note(rv){return rv?(lang==='vi'?(rv.noteVi||rv.note||rv.status):(rv.note||rv.noteVi||rv.status)):null}
// A passed signature is green only when revocation was checked and is good: the report's indication
// stays TOTAL_PASSED when the status is unknown (not checked), so the page says so in amber.
function revState(s){if(s.indication!=='TOTAL_PASSED')return null;var st=s.revocation&&s.revocation.status;return st==='good'?null:st==='revoked'?'revokedLater':'unchecked'}
function sigClass(s){return s.indication==='TOTAL_PASSED'?(revState(s)?'unchecked':'valid'):s.indication==='TOTAL_FAILED'?'invalid':'indeterminate'}
function sigStatus(s){var t=T[lang],k=sigClass(s),rs=revState(s);if(rs)return t.st[rs]+' — '+t.why+': '+note(s.revocation);return t.st[k]+(s.subIndication?' ('+s.subIndication+')':'')}
// Why a chain is not trusted: its error problems, else its other problems, else the indication's reason.
function untrustedWhy(s){var t=T[lang],ps=(s.chain&&s.chain.problems)||[],errs=ps.filter(function(p){return p.severity==='error'});if(!errs.length)errs=ps;
 var why=errs.map(msg);if(s.revocation&&s.revocation.status==='revoked')why.push(note(s.revocation));
 return t.untrusted+' — '+t.why+': '+(why.length?why.join('; '):(s.subIndication||t.noReason))}
function sigRef(r,i){if(i==null)return T[lang].notFound;var s=(r.signatures||[]).filter(function(x){return x.index===i})[0];return '#'+i+(s?' — '+(s.field||'?')+(s.signer&&s.signer.commonName?' ('+s.signer.commonName+')':''):'')}
function copyCard(r,cc){var t=T[lang],c=el('section','card copy'+(cc.complete?'':' incomplete'));c.id='copy';c.appendChild(el('h2',null,t.copy));var dl=el('dl');
 row(dl,t.certNo,cc.certificationNumber);row(dl,t.book,cc.book);
 row(dl,t.copyCode,cc.resultCode!=null?cc.resultCode:r.resultCode&&r.resultCode.value?r.resultCode.value+' ('+t.codeUnsigned+')':t.none);
 row(dl,t.officer,sigRef(r,cc.officer));row(dl,t.agency,sigRef(r,cc.agency));
 row(dl,t.complete,cc.complete?t.completeYes:t.completeNo);row(dl,t.locked,cc.locked?t.lockedYes:t.lockedNo);c.appendChild(dl);return c}
function render(r){
 var t=T[lang],out=$('result');out.textContent='';
 var later=r.verdict==='valid'?(r.signatures||[]).map(revState).filter(Boolean):[];
 if(later.length)out.appendChild(el('div','verdict valid unchecked',later.indexOf('unchecked')>=0?t.validUnchecked:t.validRevoked));
 else out.appendChild(el('div','verdict '+r.verdict,t[r.verdict]||r.verdict));
 (r.findings||[]).length&&out.appendChild(list(r.findings));
 var bad=(r.modifications||[]).filter(function(m){return m.verdict==='suspicious'});
 if(bad.length){var ul=el('ul','findings changes');bad.forEach(function(m){ul.appendChild(el('li',null,(lang==='vi'?m.reasonVi:m.reason)+(m.object!=null?' [obj '+m.object+']':'')))});out.appendChild(ul)}
 if(r.certifiedCopy)out.appendChild(copyCard(r,r.certifiedCopy));
 (r.signatures||[]).forEach(function(s){
  var c=el('section','card '+sigClass(s));c.appendChild(el('h2',null,(s.kind==='timestamp'?t.ts:t.sig)+' #'+s.index+' — '+(s.field||'?')));
  c.appendChild(el('p','sigstatus '+sigClass(s),sigStatus(s)));
  // A broken signature says first what happened and what to do.
  var errs=(s.findings||[]).filter(function(f){return f.severity==='error'}),rest=(s.findings||[]).filter(function(f){return f.severity!=='error'});
  if(s.indication==='TOTAL_FAILED'&&errs.length){c.appendChild(list(errs));errs=[]}
  var dl=el('dl');var g=s.signer||{};
  var cc=r.certifiedCopy;if(cc)row(dl,t.role,cc.officer===s.index?t.roleOfficer:cc.agency===s.index?t.roleAgency:null);
  row(dl,t.signer,g.commonName);
  row(dl,t.org,[].concat(g.organizationalUnits||[]).concat(g.organization?[g.organization]:[]).join(', ')||null);
  row(dl,t.time,fmt(s.signingTime));
  if(s.claimedSigningTime&&s.claimedSigningTime!==s.signingTime)row(dl,t.claimed,fmt(s.claimedSigningTime));
  row(dl,t.integrity,s.integrity==='ok'?t.intact:t.broken);
  row(dl,t.trust,s.chain&&s.chain.trusted?t.trusted+' '+(s.chain.policy||r.policy).toUpperCase()+(s.chain.anchor?' ('+s.chain.anchor+')':''):untrustedWhy(s));
  row(dl,t.tstamp,s.timestamp?(fmt(s.timestamp.time)||'?')+(s.timestamp.tsa?' — '+s.timestamp.tsa:'')+(s.timestamp.integrity!=='ok'?' ('+t.tsBad+')':''):t.none);
  row(dl,t.rev,note(s.revocation));
  row(dl,t.mod,s.revision==null?t.modUnknown:(t.modv[s.modification]||s.modification));
  row(dl,t.level,s.padesLevel);
  if(r.resultCode&&r.resultCode.signedBy&&r.resultCode.signedBy.indexOf(s.index)>=0)row(dl,t.code,r.resultCode.value);
  c.appendChild(dl);var more=errs.concat(rest);more.length&&c.appendChild(list(more));out.appendChild(c);
 });
}
function list(fs){var rank={error:0,warning:1,info:2},ul=el('ul','findings');fs.slice().sort(function(a,b){return (rank[a.severity]||0)-(rank[b.severity]||0)}).forEach(function(f){ul.appendChild(el('li',f.severity==='error'?'error':null,msg(f)))});return ul}
function check(file){
 lastFile=file;var t=T[lang];$('status').textContent=t.checking+' '+file.name;$('result').textContent='';
 fetch('v1/verify?lang='+lang,{method:'POST',headers:{'content-type':'application/pdf'},body:file}).then(function(res){
  return res.json().then(function(j){return{ok:res.ok,j:j}})}).then(function(x){
  $('status').textContent=t.file+': '+file.name;
  if(!x.ok){$('result').appendChild(el('div','verdict invalid',t.error+': '+(lang==='vi'?x.j.messageVi:x.j.message)));return}
  last=x.j;render(x.j);
 }).catch(function(e){$('status').textContent=t.error+': '+e.message});
}
$('file').addEventListener('change',function(e){if(e.target.files[0])check(e.target.files[0])});
var d=$('drop');
['dragenter','dragover'].forEach(function(n){d.addEventListener(n,function(e){e.preventDefault();d.classList.add('over')})});
['dragleave','drop'].forEach(function(n){d.addEventListener(n,function(e){e.preventDefault();d.classList.remove('over')})});
d.addEventListener('drop',function(e){var f=e.dataTransfer.files[0];if(f)check(f)});
$('lang').addEventListener('click',function(){lang=lang==='vi'?'en':'vi';applyLang()});
if(lang!=='vi')applyLang();
})();
</script>
</body>
</html>
`;

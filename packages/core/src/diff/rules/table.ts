import { rule, type ModificationRule } from '../rule.js';

/**
 * Every rule of the modification policy. A change after a signature is
 * allowed only when one of these clears it and the DocMDP level in force is
 * at least the rule's; whatever no rule clears is suspicious.
 */
export const RULES = {
  xrefStream: rule('structure.xref-stream', 'structure', 'structure', 1, 'new cross-reference streams', 'luồng tham chiếu chéo mới'),
  objectStream: rule('structure.object-stream', 'structure', 'structure', 1, 'new object streams (the objects inside are judged one by one)', 'luồng đối tượng mới (từng đối tượng bên trong được xét riêng)'),
  identicalRewrite: rule('structure.identical-rewrite', 'structure', 'rewritten-identical', 1, 'an object written again with the same value', 'đối tượng được ghi lại với cùng giá trị'),
  unreferenced: rule('structure.unreferenced', 'structure', 'unreferenced-object', 1, 'new objects nothing refers to (harmless)', 'đối tượng mới không được tham chiếu (vô hại)'),
  freed: rule('structure.freed', 'structure', 'structure', 1, 'objects freed that nothing refers to any more', 'đối tượng bị giải phóng mà không còn được tham chiếu'),
  trailerId: rule('structure.trailer-id', 'structure', 'structure', 1, 'the second /ID element of the new revision\'s trailer (the first kept)', 'phần tử thứ hai của /ID trong trailer phiên bản mới (giữ nguyên phần tử thứ nhất)'),

  dssCatalogEntry: rule('dss.catalog-entry', 'dss', 'dss', 1, 'catalog /DSS added or changed', 'mục /DSS của danh mục gốc được thêm hoặc thay đổi'),
  dssDictionary: rule('dss.dictionary', 'dss', 'dss', 1, 'the DSS dictionary, its /Certs /OCSPs /CRLs arrays and their streams', 'từ điển DSS, các mảng /Certs /OCSPs /CRLs và các luồng của chúng'),
  dssVri: rule('dss.vri', 'dss', 'dss', 1, '/VRI dictionaries and their arrays and streams', 'các từ điển /VRI cùng mảng và luồng của chúng'),

  timestampDictionary: rule('timestamp.dictionary', 'document-timestamps', 'document-timestamp', 1, 'a new /DocTimeStamp signature dictionary', 'từ điển dấu thời gian tài liệu /DocTimeStamp mới'),
  timestampField: rule('timestamp.field', 'document-timestamps', 'document-timestamp', 1, 'a new invisible field holding a document timestamp, and its registration in /Fields and /Annots', 'trường ẩn mới chứa dấu thời gian tài liệu, và việc đăng ký nó vào /Fields và /Annots'),

  signatureDictionary: rule('signature.dictionary', 'signature-fields', 'signature', 2, 'a new /Sig dictionary that a signature field\'s /V refers to', 'từ điển chữ ký /Sig mới được /V của một trường chữ ký tham chiếu'),
  fillEmptyField: rule('signature.fill-empty-field', 'signature-fields', 'signature-field', 2, 'an existing empty signature field given /V (and /AP, /AS)', 'trường chữ ký trống có sẵn được gán /V (và /AP, /AS)'),
  newField: rule('signature.new-field', 'signature-fields', 'signature-field', 2, 'a new signature field signed in the same revision by an intact signature, in /AcroForm /Fields and on its page\'s /Annots, rewriting nothing existing, whose appearance hides no signed content', 'trường chữ ký mới được ký ngay trong phiên bản đó bằng chữ ký toàn vẹn, có trong /AcroForm /Fields và /Annots của trang, không ghi đè đối tượng có sẵn, hình thể hiện không che nội dung đã ký'),
  newEmptyField: rule('signature.new-empty-field', 'signature-fields', 'signature-field', 2, 'a new unsigned signature field whose appearance draws nothing', 'trường chữ ký mới chưa ký, hình thể hiện không vẽ gì'),
  appearance: rule('signature.appearance', 'signature-fields', 'signature-appearance', 2, 'new appearance streams (and their new resources) of new or newly signed signature fields', 'luồng hình thể hiện mới (và tài nguyên mới) của trường chữ ký mới hoặc vừa ký'),
  appearanceOverwrite: rule('signature.appearance-overwrite', 'signature-fields', 'signature-appearance', 2, 'a newly signed field\'s own appearance stream overwritten in place, when nothing else in either revision refers to it', 'luồng hình thể hiện riêng của trường vừa ký được ghi đè, khi không gì khác ở cả hai phiên bản tham chiếu đến nó'),
  registerField: rule('signature.register-field', 'signature-fields', 'form', 2, '/AcroForm added or its /Fields, /SigFlags, /DR (additions only) changed, and page /Annots appended, for new signature fields', '/AcroForm được thêm hoặc /Fields, /SigFlags, /DR (chỉ bổ sung) thay đổi, và /Annots của trang được nối thêm, cho trường chữ ký mới'),

  info: rule('metadata.info', 'metadata', 'metadata', 2, '/Info refreshed or added (text strings and dates only)', '/Info được làm mới hoặc thêm (chỉ chuỗi văn bản và ngày tháng)'),
  xmp: rule('metadata.xmp', 'metadata', 'metadata', 2, 'the XMP metadata stream (catalog /Metadata) refreshed or added', 'luồng siêu dữ liệu XMP (/Metadata của danh mục gốc) được làm mới hoặc thêm'),

  extensions: rule('catalog.extensions', 'catalog', 'catalog', 2, 'catalog /Extensions added or updated (direct or indirect)', '/Extensions của danh mục gốc được thêm hoặc cập nhật (trực tiếp hoặc gián tiếp)'),
  version: rule('catalog.version', 'catalog', 'catalog', 2, 'catalog /Version raised to an existing PDF version (1.0–1.7, 2.0)', '/Version của danh mục gốc được nâng lên một phiên bản PDF có thật (1.0–1.7, 2.0)'),

  structureTreeWidget: rule('structure-tree.signature-widget', 'structure-tree', 'structure-tree', 2, 'a new /Form structure element whose only kids are /OBJR to widgets added in the same revision, appended to an existing element\'s /K; /ParentTree entries for those widgets\' /StructParent keys; /ParentTreeNextKey raised to match', 'phần tử cấu trúc /Form mới chỉ chứa /OBJR tới ô chữ ký thêm trong cùng phiên bản, nối vào /K của một phần tử có sẵn; mục /ParentTree cho /StructParent của các ô đó; /ParentTreeNextKey tăng tương ứng'),

  formFill: rule('form.fill', 'form-filling', 'form-fill', 2, 'an existing non-signature field\'s /V /AS (and /AP) changed, with appearances inside its widget; not when a FieldMDP lock covers it', 'giá trị /V /AS (và /AP) của trường biểu mẫu có sẵn thay đổi, hình thể hiện nằm trong ô của nó; trừ khi bị khoá FieldMDP'),

  annotationAdd: rule('annotation.add', 'annotations', 'annotation', 3, 'new annotations (not widgets) on a page\'s /Annots', 'chú thích mới (không phải ô biểu mẫu) trong /Annots của trang'),
  annotationModify: rule('annotation.modify', 'annotations', 'annotation', 3, 'existing annotations (not widgets) changed or removed', 'chú thích có sẵn (không phải ô biểu mẫu) bị sửa hoặc xoá'),
} as const satisfies Record<string, ModificationRule>;

/** The rule table in order, as data: what the README's policy table is generated from. */
export const modificationRules: readonly ModificationRule[] = Object.freeze(Object.values(RULES));

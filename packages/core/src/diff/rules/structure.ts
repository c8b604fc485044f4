import { PdfStream } from '../../pdf/index.js';
import type { DiffContext } from '../context.js';
import { RULES } from './table.js';

/** Cross-reference and object streams written by the update, and the trailer's /ID. */
export function structureRules(ctx: DiffContext): void {
  for (const n of ctx.delta.added) {
    const o = ctx.objectIn(ctx.after, n);
    if (!(o instanceof PdfStream)) continue;
    const type = o.dict.getName('Type');
    if (type === 'XRef') ctx.clear(n, { rule: RULES.xrefStream, keys: 'all', path: null });
    else if (type === 'ObjStm') ctx.clear(n, { rule: RULES.objectStream, keys: 'all', path: null });
  }
  // The second /ID element changes with every revision by design; the first identifies the document and stays.
  if (ctx.delta.trailerKeys.includes('ID') && ctx.delta.sameFirstId) ctx.clear('trailer', { rule: RULES.trailerId, keys: ['ID'], path: '/ID', en: 'The trailer /ID of the new revision: its second element changed, the document\'s identity (the first) is kept.', vi: 'Mã /ID trong trailer của phiên bản mới: phần tử thứ hai thay đổi, định danh tài liệu (phần tử thứ nhất) giữ nguyên.' });
}

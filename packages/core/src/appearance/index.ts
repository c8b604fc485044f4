/**
 * Visible signatures: the Decree 30/2020 layouts, fonts, the certification statement.
 *
 * @module @kyso/core/appearance
 */
export { buildAppearance, renderAppearance, embedAppearance, resolveLayout, pageBox } from './build-appearance.js';
export type { AppearancePlacement, KeywordPlacement, RenderedAppearance, BuiltAppearance } from './build-appearance.js';
export { drawLayout, realSize } from './draw.js';
export type { AppearanceImage, AppearanceInput, DrawnBox, Rect } from './draw.js';
export { LAYOUTS, PERSONAL_LAYOUT, PERSONAL_IMAGE_LAYOUT, SEAL_LAYOUT, COPY_LAYOUT, ATTACHMENT_LAYOUT, TEXT_LAYOUT } from './layout.js';
export type { AppearanceLayout, LayoutElement, ImageElement, TextElement, TextLine, FractionBox, LayoutPosition, LayoutName, Rgb } from './layout.js';
export { fillTemplate, formatVietnamTime, formatIsoVietnam, formatLongVietnamDate } from './template.js';
export type { AppearanceData, TemplateFormat } from './template.js';
export { bundledFontsDir } from './fonts.js';
export type { FontSet, FontStyle } from './fonts.js';
export { imageInfo } from './image-info.js';
export type { ImageInfo } from './image-info.js';
export { findKeyword } from './keyword.js';
export type { KeywordMatch } from './keyword.js';
export { ObjectCopier, pageToFormXObject } from './transplant.js';
export {
  stampCertificationStatement,
  stampCertificationStatementDetailed,
  CERTIFICATION_STATEMENT_LAYOUT,
} from './certification-statement.js';
export type { CertificationStatementOptions, StampedStatement } from './certification-statement.js';

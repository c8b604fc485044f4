/**
 * Several steps in one call: the certified electronic copy, scans to PDF, the QR stamp.
 *
 * @module @kyso/core/workflow
 */
// Workflows: several steps (codes, statement, signatures) done in one call.
export { certifyCopy } from './certify-copy.js';
export type { CertifyCopyOptions, CertifyCopySigner, CertifiedCopy, CertifiedCopyRecord } from './certify-copy.js';
export { scansToPdf, scanKind, imageSizePoints, A4 } from './scans-to-pdf.js';
export type { ScansToPdfOptions, ScanKind } from './scans-to-pdf.js';
export { stampQrCode, addQrCode, qrContent, QR_CAPTION_HEIGHT } from './qr-stamp.js';
export type { QrStampOptions } from './qr-stamp.js';
export { writeCertifiedCopyXmp } from './certified-copy-metadata.js';

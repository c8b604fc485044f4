import type { CmsInspection } from '../../cms/inspect/index.js';
import { describeSigner } from '../../trust/index.js';
import type { SignerReport } from '../report.js';
import type { SignatureFindings } from './findings.js';

/** Who signed, as the signer certificate the CMS names says. */
export interface SignatureIdentity {
  /** The signer certificate's DER, or null when the CMS holds none it names. */
  signerDer: Uint8Array | null;
  signer: SignerReport | null;
}

/**
 * Identity: the signer certificate the CMS names, read from the CMS alone,
 * so a signature over bytes this file no longer holds still names its
 * signer.
 */
export function identifySigner(cms: CmsInspection | null, findings: SignatureFindings): SignatureIdentity {
  const signerDer = cms?.signerCertificate ?? null;
  let signer: SignerReport | null = null;
  if (signerDer) {
    try {
      signer = signerReport(signerDer);
    } catch {
      findings.add('SIGNER_CERTIFICATE_UNREADABLE', 'The signer certificate cannot be read.', 'Không đọc được chứng thư số của người ký.');
    }
  } else if (cms) {
    findings.add('NO_SIGNING_CERTIFICATE', 'The signer certificate is not in the signature.', 'Chữ ký không kèm chứng thư số của người ký.');
  }
  return { signerDer, signer };
}

function signerReport(der: Uint8Array): SignerReport {
  const id = describeSigner(der);
  return {
    commonName: id.commonName,
    organization: id.organization,
    organizationalUnits: [...id.organizationalUnits],
    locality: id.locality,
    email: id.email,
    kind: id.kind,
    uids: { ...id.uids },
    subject: id.subject,
    issuer: id.issuer,
    serialNumber: id.serialNumber,
    notBefore: id.notBefore.toISOString(),
    notAfter: id.notAfter.toISOString(),
    sha256: id.sha256,
  };
}

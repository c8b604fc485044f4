import { PdfDict, PdfName, PdfRef, PdfStream } from './objects.js';
import type { PdfReader } from './reader.js';

/** The catalog's XMP packet as text, or null when there is none or it cannot be decoded. */
export function readXmp(reader: PdfReader): { ref: PdfRef | null; xml: string } | null {
  try {
    const entry = reader.catalog().get('Metadata');
    const stream = reader.resolve(entry);
    if (!(stream instanceof PdfStream)) return null;
    return { ref: entry instanceof PdfRef ? entry : null, xml: Buffer.from(reader.streamData(stream)).toString('utf8') };
  } catch {
    return null;
  }
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Adds (or replaces) one simple property in an XMP packet, in its own
 * rdf:Description so the rest of the packet is left byte for byte.
 */
export function xmpWithProperty(xml: string | null, ns: { uri: string; prefix: string }, name: string, value: string): string {
  const desc = `<rdf:Description rdf:about="" xmlns:${ns.prefix}="${escapeXml(ns.uri)}"><${ns.prefix}:${name}>${escapeXml(value)}</${ns.prefix}:${name}></rdf:Description>`;
  if (xml && xml.includes('</rdf:RDF>')) {
    const own = new RegExp(`<rdf:Description rdf:about="" xmlns:${ns.prefix}="[^"]*"><${ns.prefix}:${name}>[^<]*</${ns.prefix}:${name}></rdf:Description>`);
    if (own.test(xml)) return xml.replace(own, desc);
    const at = xml.lastIndexOf('</rdf:RDF>');
    return `${xml.slice(0, at)}${desc}\n${xml.slice(at)}`;
  }
  return (
    `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n${desc}\n</rdf:RDF></x:xmpmeta>\n` +
    `<?xpacket end="w"?>`
  );
}

/** Reads one simple property written by xmpWithProperty (or any writer using the same shape). */
export function xmpProperty(xml: string, ns: { uri: string; prefix: string }, name: string): string | null {
  const m = new RegExp(`<(\\w+):${name}>([^<]*)</\\1:${name}>`).exec(xml);
  if (!m) return null;
  // The prefix must be bound to our namespace somewhere in the packet.
  if (!new RegExp(`xmlns:${m[1]}="${ns.uri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(xml)) return null;
  return m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** A metadata stream object for an XMP packet (uncompressed, as PDF/A prefers). */
export function xmpStream(xml: string): PdfStream {
  return new PdfStream(new PdfDict().set('Type', PdfName.of('Metadata')).set('Subtype', PdfName.of('XML')), Buffer.from(xml, 'utf8'));
}

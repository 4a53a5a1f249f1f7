// The verification link's fragment (CERT-CONTRACT.md): `credential=` and the base64url (no
// padding) of the raw DEFLATE (RFC 1951) of the credential's UTF-8 JSON. A fragment never
// reaches a server. certificates/link.py reads and writes the same.
import { base64url, fromBase64url } from "./key-file.js";

const PREFIX = "credential=";
//: A link longer than this is refused before it is inflated (a credential is a few kB).
const MAX_TEXT = 200000;
const MAX_JSON = 200000; // certificates.link.MAX_INFLATED_BYTES

async function through(bytes, stream) {
  const flowing = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(flowing).arrayBuffer());
}

/** "credential=<…>" for `credential` (to follow `<site>/verify/#`). */
export async function linkFragment(credential) {
  const json = new TextEncoder().encode(JSON.stringify(credential));
  return PREFIX + base64url(await through(json, new CompressionStream("deflate-raw")));
}

/** The credential a link's fragment (with or without its "#") carries; throws one sentence. */
export async function credentialFromFragment(hashText) {
  // As certificates.link reads it: the fragment's `&`-separated fields, one of them credential=.
  const text = String(hashText ?? "").replace(/^#/, "");
  const field = text.split("&").find((part) => part.startsWith(PREFIX));
  if (field === undefined) throw new Error("The link carries no credential (it has no #credential= part).");
  const packed = field.slice(PREFIX.length);
  if (packed.length > MAX_TEXT) throw new Error("The link's credential is too long to be one certificate.");
  let bytes;
  try {
    bytes = fromBase64url(decodeURIComponent(packed));
  } catch {
    throw new Error("The link's credential is damaged (it is not base64url text); copy the whole link.");
  }
  let json;
  try {
    json = await through(bytes, new DecompressionStream("deflate-raw"));
  } catch {
    throw new Error("The link's credential is damaged (it does not unpack); copy the whole link.");
  }
  if (json.length > MAX_JSON) throw new Error("The link's credential is too long to be one certificate.");
  let credential;
  try {
    credential = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch {
    throw new Error("The link's credential is damaged (it is not JSON); copy the whole link.");
  }
  if (!credential || typeof credential !== "object" || Array.isArray(credential)) {
    throw new Error("The link carries something that is not a credential.");
  }
  return credential;
}

// OpenCEU's credential kit: what the certificate pages (issuing, verifying, the tracker) need to
// make and check Open Badges 3.0 credentials in the browser, offline. Bundled by
// site_build/credential_kit.py into assets/credentials/credential-kit.js; loaded only by the
// pages that use it. Nothing here makes a request: the JSON-LD contexts are in the bundle and a
// did:key is read from the key itself (documents.js); the secret key stays in this page's memory
// and is never stored (no localStorage, no IndexedDB) nor sent.
//
// API (every function is async but zipFiles and qrSvg; each throws an Error whose message is one sentence
// for the page to show):
//   createKey(issuerName, passphrase) -> {keyFile, signer}
//       keyFile: the contract's key file (plain object; save it as JSON); signer: signs for
//       did:key:…, with `signer.did` and `signer.issuerName`. Passphrase: at least 12 characters.
//   openKeyFile(keyFileObject, passphrase) -> signer
//       throws Error("Wrong passphrase for this key file.") for a wrong passphrase.
//   sign(unsignedCredential, signer) -> the signed credential (a new object: DataIntegrityProof,
//       eddsa-rdfc-2022); its issuer.id must be signer.did.
//   verifyProof(credential) -> {ok: true} | {ok: false, reason: "<one sentence>"}
//       the proof and the format only, in JSON-LD safe mode; validFrom/validUntil are the
//       caller's to judge (certificates.verdict).
//   linkFragment(credential) -> "credential=<base64url of raw DEFLATE of the JSON>"
//   credentialFromFragment(hashText) -> credential (hashText with or without "#")
//   zipFiles([{name, data}]) -> Uint8Array (data: a string, written as UTF-8, or bytes)
//   qrSvg(link) -> an SVG document (text) of the QR code of `link`, for a printed certificate:
//       byte mode, error correction level M, a quiet zone of 4 modules, black on white, a
//       viewBox; no script, no external reference. Not async. Throws one sentence when the link
//       is not printable ASCII or too long for any QR code (about 2,300 characters at level M).
//   WRONG_PASSPHRASE, MIN_PASSPHRASE, ENCRYPTION, passphraseProblem(passphrase) -> sentence | null
import { zipSync } from "fflate";

export { credentialFromFragment, linkFragment } from "./link.js";
export { sign, verifyProof } from "./proofs.js";
export { qrSvg } from "./qr.js";
export { createKey, ENCRYPTION, MIN_PASSPHRASE, openKeyFile, passphraseProblem, WRONG_PASSPHRASE } from "./key-file.js";

/** A zip of `files` (paths with "/" make folders), deflated, dated 2020-01-01 like the site's. */
export function zipFiles(files) {
  const encoder = new TextEncoder();
  const tree = {};
  for (const { name, data } of files) {
    if (typeof name !== "string" || !name || name.startsWith("/") || name.split("/").includes("..")) {
      throw new Error(`A file in the zip has a name that cannot be used: ${name}`);
    }
    if (Object.hasOwn(tree, name)) throw new Error(`Two files in the zip are both named ${name}.`);
    tree[name] = typeof data === "string" ? encoder.encode(data) : data;
  }
  return zipSync(tree, { level: 6, mtime: new Date(2020, 0, 1) });
}

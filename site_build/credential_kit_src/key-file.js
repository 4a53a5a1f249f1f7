// The provider's signing key, kept as a passphrase-protected file (CERT-CONTRACT.md, "Key file"):
// an Ed25519 key whose did:key names the issuer, its secret (ed25519-multikey's
// secretKeyMultibase) sealed with WebCrypto: PBKDF2-SHA-256 (600,000 iterations, 16-byte salt)
// derives an AES-256-GCM key; the 12-byte nonce is fresh per file; the DID is the additional
// data, so a file whose DID was changed does not open. The secret is never stored by the page
// and never sent: only this encrypted file is offered for download.
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";

export const ENCRYPTION = Object.freeze({
  cipher: "AES-GCM",
  keyBits: 256,
  kdf: "PBKDF2",
  hash: "SHA-256",
  iterations: 600000,
});
export const MIN_PASSPHRASE = 12;
export const WRONG_PASSPHRASE = "Wrong passphrase for this key file.";

const encoder = new TextEncoder();

export function base64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64url(text) {
  if (typeof text !== "string" || !/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const padded = text.replaceAll("-", "+").replaceAll("_", "/") + "=".repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (char) => char.charCodeAt(0));
}

/** One sentence if the passphrase is too short, else null. */
export function passphraseProblem(passphrase) {
  if (typeof passphrase !== "string" || [...passphrase].length < MIN_PASSPHRASE) {
    return `The passphrase must be at least ${MIN_PASSPHRASE} characters.`;
  }
  return null;
}

async function sealingKey(passphrase, salt, iterations, usage) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: ENCRYPTION.hash, salt, iterations },
    material,
    { name: ENCRYPTION.cipher, length: ENCRYPTION.keyBits },
    false,
    [usage],
  );
}

/** A signer (ed25519-multikey's) that also says whose it is: `did` and `issuerName`. */
async function signerOf(keyPair, issuerName) {
  const signer = keyPair.signer();
  return Object.assign(signer, { did: keyPair.controller, issuerName });
}

/** A new key for `issuerName`: the key file (plain object, to save as JSON) and its signer. */
export async function createKey(issuerName, passphrase) {
  const name = typeof issuerName === "string" ? issuerName.trim() : "";
  if (!name) throw new Error("Type the issuer's name (as learners should see it).");
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  const generated = await Ed25519Multikey.generate();
  const did = `did:key:${generated.publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.from({
    id: `${did}#${generated.publicKeyMultibase}`,
    controller: did,
    publicKeyMultibase: generated.publicKeyMultibase,
    secretKeyMultibase: generated.secretKeyMultibase,
  });
  // The 32-byte seed form (base58btc of 0x8026 + seed), as the contract and the CLI read it.
  const { secretKeyMultibase } = await keyPair.export({ secretKey: true, canonicalize: true });
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await sealingKey(passphrase, salt, ENCRYPTION.iterations, "encrypt");
  const sealed = await crypto.subtle.encrypt(
    { name: ENCRYPTION.cipher, iv, additionalData: encoder.encode(did) },
    key,
    encoder.encode(secretKeyMultibase),
  );
  const keyFile = {
    type: "OpenCEUSigningKey",
    version: 1,
    did,
    issuerName: name,
    created: `${new Date().toISOString().slice(0, 19)}Z`,
    encryption: { ...ENCRYPTION, salt: base64url(salt), iv: base64url(iv) },
    ciphertext: base64url(new Uint8Array(sealed)),
  };
  return { keyFile, signer: await signerOf(keyPair, name) };
}

function malformed(field) {
  return new Error(`This is not an OpenCEU signing key file (${field} is missing or wrong).`);
}

/** The signer a key file holds; throws one sentence (WRONG_PASSPHRASE for a wrong passphrase). */
export async function openKeyFile(keyFile, passphrase) {
  if (!keyFile || typeof keyFile !== "object" || keyFile.type !== "OpenCEUSigningKey") throw malformed("type");
  if (keyFile.version !== 1) throw malformed("version");
  const did = keyFile.did;
  const found = typeof did === "string" && /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})$/.exec(did);
  if (!found) throw malformed("did");
  const encryption = keyFile.encryption || {};
  for (const [field, value] of Object.entries(ENCRYPTION)) {
    if (field !== "iterations" && encryption[field] !== value) throw malformed(`encryption.${field}`);
  }
  const iterations = encryption.iterations;
  if (!Number.isInteger(iterations) || iterations < 100000 || iterations > 10000000) {
    throw malformed("encryption.iterations");
  }
  let salt;
  let iv;
  let ciphertext;
  try {
    salt = fromBase64url(encryption.salt);
    iv = fromBase64url(encryption.iv);
    ciphertext = fromBase64url(keyFile.ciphertext);
  } catch {
    throw malformed("encryption.salt, encryption.iv or ciphertext");
  }
  if (salt.length !== 16) throw malformed("encryption.salt");
  if (iv.length !== 12) throw malformed("encryption.iv");
  if (typeof passphrase !== "string" || !passphrase) throw new Error(WRONG_PASSPHRASE);
  const key = await sealingKey(passphrase, salt, iterations, "decrypt");
  let secret;
  try {
    const opened = await crypto.subtle.decrypt(
      { name: ENCRYPTION.cipher, iv, additionalData: encoder.encode(did) },
      key,
      ciphertext,
    );
    secret = new TextDecoder("utf-8", { fatal: true }).decode(opened);
  } catch {
    throw new Error(WRONG_PASSPHRASE);
  }
  const multibase = found[1];
  let keyPair;
  try {
    keyPair = await Ed25519Multikey.from({
      id: `${did}#${multibase}`,
      controller: did,
      publicKeyMultibase: multibase,
      secretKeyMultibase: secret,
    });
  } catch {
    throw malformed("the sealed key");
  }
  const name = typeof keyFile.issuerName === "string" ? keyFile.issuerName : "";
  const signer = await signerOf(keyPair, name);
  // The sealed secret must be the DID's own key: sign and check once.
  const probe = encoder.encode("openceu key check");
  const signature = await signer.sign({ data: probe });
  const verifier = (
    await Ed25519Multikey.from({ id: signer.id, controller: did, publicKeyMultibase: multibase })
  ).verifier();
  if (!(await verifier.verify({ data: probe, signature }))) throw malformed("the sealed key (it is not the DID's key)");
  return signer;
}

// The independent implementation, for the interoperability tests (tests/unit/test_certificate_interop.py):
// Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite, offline. Its document loader
// answers the repository's bundled contexts (certificates/contexts/, the same files the CLI reads)
// and did:key URLs, and refuses every other URL, so nothing is fetched.
//
//   node vc_interop.mjs verify FILE            -> {"verified": true|false, "error": "..."}
//   node vc_interop.mjs issue FILE SEED_HEX    -> the credential in FILE signed with that key
//   node vc_interop.mjs did SEED_HEX           -> {"did": "did:key:...", "secretKeyMultibase": "z..."}
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";

// No request leaves the host: a library that tried to fetch a document would fail the test.
globalThis.fetch = () => {
  throw new Error("the interoperability tests make no network request");
};

const contextsFolder = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "certificates", "contexts");
const CONTEXTS = {
  "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
  "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-3.0.3.json",
};

async function didDocument(url) {
  const [did] = url.split("#");
  const multibase = did.slice("did:key:".length);
  // Refuses a key that is not an Ed25519 public key.
  const key = await Ed25519Multikey.from({ publicKeyMultibase: multibase, controller: did, id: `${did}#${multibase}` });
  const method = {
    id: key.id,
    type: "Multikey",
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
  };
  if (url.includes("#")) {
    if (url !== method.id) throw new Error(`${url} is not the key of ${did}`);
    return { "@context": "https://w3id.org/security/multikey/v1", ...method };
  }
  return {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
    id: did,
    verificationMethod: [method],
    assertionMethod: [method.id],
    authentication: [method.id],
  };
}

async function documentLoader(url) {
  if (url in CONTEXTS) {
    const document = JSON.parse(readFileSync(join(contextsFolder, CONTEXTS[url]), "utf8"));
    return { contextUrl: null, documentUrl: url, document };
  }
  if (url.startsWith("did:key:")) {
    return { contextUrl: null, documentUrl: url, document: await didDocument(url) };
  }
  throw new Error(`refused to load ${url}: only the bundled contexts and did:key are read`);
}

function keyFromSeed(seedHex) {
  return Ed25519Multikey.generate({ seed: Uint8Array.from(Buffer.from(seedHex, "hex")) });
}

async function main([command, ...rest]) {
  if (command === "verify") {
    const credential = JSON.parse(readFileSync(rest[0], "utf8"));
    const suite = new DataIntegrityProof({ cryptosuite });
    const result = await vc.verifyCredential({ credential, suite, documentLoader });
    const errors = [result.error, ...(result.results ?? []).map((item) => item.error)].filter(Boolean);
    const error = errors
      .flatMap((item) => [item, ...(item.errors ?? [])])
      .map((item) => [item.message, item.details?.event?.details?.property].filter(Boolean).join(": "))
      .join("; ");
    return { verified: result.verified, error };
  }
  if (command === "issue") {
    const credential = JSON.parse(readFileSync(rest[0], "utf8"));
    const key = await keyFromSeed(rest[1]);
    key.controller = `did:key:${key.publicKeyMultibase}`;
    key.id = `${key.controller}#${key.publicKeyMultibase}`;
    const suite = new DataIntegrityProof({ signer: key.signer(), cryptosuite });
    return vc.issue({ credential, suite, documentLoader });
  }
  if (command === "did") {
    const key = await keyFromSeed(rest[0]);
    const exported = await key.export({ publicKey: true, secretKey: true, includeContext: false });
    return { did: `did:key:${key.publicKeyMultibase}`, secretKeyMultibase: exported.secretKeyMultibase };
  }
  throw new Error(`unknown command ${command}`);
}

process.stdout.write(`${JSON.stringify(await main(process.argv.slice(2)), null, 2)}\n`);

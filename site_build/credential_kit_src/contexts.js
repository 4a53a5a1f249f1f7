// The two JSON-LD contexts an OpenCEU credential names (the W3C VC 2.0 and the Open Badges 3.0.3
// contexts), by the address each stands for: the repository's one copy of each
// (certificates/contexts/, whose SOURCES.md names the npm package each is copied from), which
// the CLI reads too. The bundle carries them: no context is ever fetched.
import credentialsV2 from "../../certificates/contexts/credentials-v2.jsonld";
import openBadges303 from "../../certificates/contexts/ob-v3p0-3.0.3.json";

export const VC_V2 = "https://www.w3.org/ns/credentials/v2";
export const OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

export const CONTEXTS = Object.freeze({
  [VC_V2]: credentialsV2,
  [OB_V3]: openBadges303,
});

// The verify page: a certificate from its link's fragment (#credential=…, which never reaches a
// server), a chosen file or a dropped one. The credential kit checks its proof here, offline;
// the page's worker (calculator_pages.verify_page) reads its facts, looks its key up in the
// directory's issuers.json (a data file the worker loaded, kept for offline use with the page)
// and says the verdict in the words `ceu credential verify` prints. Everything shown is text
// (textContent); the only links are an http(s) address or the profile's site-relative one.
import { credentialFromFragment, verifyProof } from "../credentials/credential-kit.js";
import { PythonWorker } from "./calculator.js";

const byId = (suffix) => document.getElementById(`verify-${suffix}`);
/** The site's root: this page is <site>/verify/. */
const SITE_ROOT = new URL("../", document.baseURI);

class VerifyPage {
  constructor() {
    this.python = new PythonWorker();
    this.status = byId("status");
    this.result = byId("result");
    this.maxChars = 0;
    this.asked = 0; // the newest check: an older one's answer is not shown
  }

  setStatus(state, text) {
    this.status.dataset.state = state;
    this.status.textContent = text;
  }

  fileError(text) {
    const slot = byId("error-file");
    slot.textContent = text;
    slot.hidden = !text;
  }

  /** Check a credential given as JSON text (from a file) or as an object (from a link). */
  async check(given, origin) {
    const asked = ++this.asked;
    this.result.setAttribute("aria-busy", "true");
    let problem = null;
    const text = typeof given === "string" ? given : JSON.stringify(given);
    let credential = given;
    if (typeof given === "string") {
      try {
        credential = JSON.parse(given);
      } catch {
        credential = undefined; // the worker says why it is not a credential
      }
    }
    if (credential && typeof credential === "object" && !Array.isArray(credential)) {
      const outcome = await verifyProof(credential);
      if (!outcome.ok) problem = outcome.reason;
    }
    const answer = await this.python.ask({ type: "verify", text, problem });
    if (asked !== this.asked) return;
    this.show(answer, origin);
  }

  /** A link whose fragment does not hold a credential: the kit's one sentence, as a verdict. */
  async unreadable(reason) {
    const answer = await this.python.ask({ type: "verify", text: "", problem: reason.replace(/\.$/, "") });
    this.show(answer, "link");
  }

  show(answer, origin) {
    this.result.hidden = false;
    this.result.dataset.outcome = answer.outcome;
    this.result.dataset.standing = answer.standing;
    byId("outcome").textContent = answer.headline;
    byId("sentence").textContent = answer.sentence;
    const issuer = byId("issuer");
    issuer.replaceChildren();
    issuer.hidden = !answer.issuer;
    if (answer.issuer) {
      const found = answer.issuer;
      const line = document.createElement("p");
      line.append("In the directory: ");
      const name = document.createElement(found.profile ? "a" : "strong");
      name.textContent = found.name;
      if (found.profile) name.href = new URL(found.profile, SITE_ROOT).href;
      // The status's explanation is in the verdict's sentence when it matters (not in good standing).
      line.append(name, `: ${found.status} as of ${found.status_as_of}.`);
      issuer.append(line);
      if (found.did_source) {
        const source = document.createElement("p");
        const link = document.createElement("a");
        link.href = found.did_source;
        link.rel = "nofollow noopener noreferrer";
        link.textContent = found.did_source;
        source.append("The provider states the key here: ", link);
        issuer.append(source);
      }
    }
    const facts = byId("facts");
    facts.replaceChildren();
    byId("facts-heading").hidden = !answer.facts.length;
    byId("facts-heading").textContent =
      answer.outcome === "invalid" ? "What the certificate claims (not confirmed)" : "What the certificate says";
    for (const [label, value] of answer.facts) {
      const term = document.createElement("dt");
      term.textContent = label;
      const detail = document.createElement("dd");
      detail.textContent = value;
      if (label === "Rule" && answer.rule) {
        const link = document.createElement("a");
        link.href = answer.rule;
        link.rel = "nofollow noopener noreferrer";
        link.textContent = "source";
        detail.append(" (", link, ")");
      }
      facts.append(term, detail);
    }
    this.result.removeAttribute("aria-busy");
    this.setStatus("ready", origin === "link" ? "Checked the certificate in the link." : "Checked the file.");
  }

  async fromFragment() {
    if (!/(^#|&)credential=/.test(location.hash)) return;
    let credential;
    try {
      credential = await credentialFromFragment(location.hash);
    } catch (error) {
      await this.unreadable(String(error?.message || error));
      return;
    }
    await this.check(credential, "link");
  }

  async fromFile(file) {
    this.fileError("");
    if (!file) return;
    if (file.size > this.maxChars * 4) {
      this.fileError(`${file.name} is far larger than a certificate: it was not read.`);
      return;
    }
    await this.check(await file.text(), "file");
  }

  async start() {
    try {
      await this.python.started;
      const loaded = await this.python.ask({ type: "load" });
      this.maxChars = loaded.max_chars;
    } catch (error) {
      this.setStatus("error", "The checker could not start; the details are in the console.");
      console.error(error);
      return;
    }
    this.setStatus("ready", "Ready: open a certificate's link, or choose or drop its file.");
    const guarded = (work) =>
      work.catch((error) => {
        this.setStatus("error", "The certificate could not be checked; the details are in the console.");
        this.result.removeAttribute("aria-busy");
        console.error(error);
      });
    const input = byId("file");
    input.addEventListener("change", () => guarded(this.fromFile(input.files[0])));
    const drop = byId("drop");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("calc-drop--over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("calc-drop--over"));
    drop.addEventListener("drop", (event) => {
      event.preventDefault();
      drop.classList.remove("calc-drop--over");
      guarded(this.fromFile(event.dataTransfer.files[0]));
    });
    window.addEventListener("hashchange", () => guarded(this.fromFragment()));
    await guarded(this.fromFragment());
  }
}

new VerifyPage().start();

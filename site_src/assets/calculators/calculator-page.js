// A calculator page: the form named in the page's worker config, wired to its Python (calculator.js).
import { Calculator, config } from "./calculator.js";

new Calculator(config.name).start();

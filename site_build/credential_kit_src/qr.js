// A QR code of a certificate's verification link, so a printed certificate can be checked with a
// phone's camera. qrcode-generator (MIT, no dependencies) makes the symbol; this writes it as a
// plain SVG document: one black path on a white square, nothing that runs or loads.
/*! qrcode-generator 2.0.4: QR Code Generator for JavaScript, Copyright (c) 2009 Kazuhiko Arase,
 * licensed under the MIT license (http://www.opensource.org/licenses/mit-license.php). The word
 * "QR Code" is a registered trademark of DENSO WAVE INCORPORATED. */
import qrcode from "qrcode-generator";

//: Error correction level M (about 15% of the symbol can be lost), the usual one for print.
export const QR_LEVEL = "M";
//: The white margin around the symbol, in modules: the 4 the QR standard asks for.
export const QR_QUIET_ZONE = 4;

/**
 * An SVG document (text) of the QR code of `text` (byte mode, level M, the smallest version that
 * holds it). The text must be printable ASCII, as a link's href is; throws one sentence otherwise
 * or when it is too long for any QR code.
 */
export function qrSvg(text) {
  const value = String(text ?? "");
  if (!value || !/^[\x20-\x7e]+$/.test(value)) {
    throw new Error("A QR code is made only of a link written in plain ASCII characters.");
  }
  const symbol = qrcode(0, QR_LEVEL); // 0: the smallest version that fits
  symbol.addData(value, "Byte");
  try {
    symbol.make();
  } catch {
    throw new Error("The link is too long to fit in a QR code.");
  }
  const count = symbol.getModuleCount();
  const size = count + 2 * QR_QUIET_ZONE;
  // Each row's dark runs as strokes one module thick along the row's middle, moving relatively
  // from run to run: the shortest plain text for a symbol of up to 177 x 177 modules.
  const rows = [];
  for (let row = 0; row < count; row += 1) {
    let path = "";
    let pen = null; // where the last run ended
    let column = 0;
    while (column < count) {
      if (!symbol.isDark(row, column)) {
        column += 1;
        continue;
      }
      const start = column;
      while (column < count && symbol.isDark(row, column)) column += 1;
      path += pen === null ? `M${start + QR_QUIET_ZONE} ${row + QR_QUIET_ZONE}.5` : `m${start - pen} 0`;
      path += `h${column - start}`;
      pen = column;
    }
    rows.push(path);
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size}" height="${size}" ` +
    `shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/>` +
    `<path stroke="#000" stroke-width="1" fill="none" d="${rows.join("")}"/></svg>`
  );
}

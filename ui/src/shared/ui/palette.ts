/**
 * Okabe–Ito: eight colours told apart with every common colour-vision deficiency. Charts take
 * their colours from here, in this order.
 */
export const OKABE_ITO = {
  blue: '#0072B2',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  black: '#000000',
} as const;

/** A sequential shade of Okabe–Ito blue for `t` from 0 to 1 (heatmaps), with the text colour that reads on it. */
export function heatShade(t: number): { background: string; color: string } {
  const clamped = Math.max(0, Math.min(1, t));
  // from near-white to the palette's blue
  const mix = (from: number, to: number) => Math.round(from + (to - from) * clamped);
  const background = `rgb(${mix(242, 0)}, ${mix(247, 114)}, ${mix(251, 178)})`;
  return { background, color: clamped > 0.55 ? '#ffffff' : '#1d2330' };
}

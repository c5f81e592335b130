/**
 * The key a new segment gets from its name until the key is edited by hand: lowercase letters and
 * digits joined by "-", starting with a letter or digit, at most 128 characters (the engine's key
 * rule: 1 to 128 of a-z, 0-9, ".", "_", "-", starting with a letter or digit). "Über fans!" →
 * "uber-fans". The engine still validates what is saved.
 */
export function keyFromName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 128)
    .replace(/-+$/, '');
}

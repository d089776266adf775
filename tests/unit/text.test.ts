import { consentKeyword } from '../../contracts/consent';
import { normalizeText } from '../../contracts/text';

describe('normalizeText', () => {
  it('folds case, accents, emoji and spaces', () => {
    expect(normalizeText('  Olá,   ÁRRÊT!! 🙏🏽 ')).toBe('ola, arret');
    expect(normalizeText('Horário\u00a0de  atendimento')).toBe('horario de atendimento');
    expect(normalizeText('👍')).toBe('');
  });
});

describe('consentKeyword', () => {
  it('knows whole-message keywords only', () => {
    expect(consentKeyword('STOP')).toBe('opt-out');
    expect(consentKeyword(' Stop. ')).toBe('opt-out');
    expect(consentKeyword('Arrêt')).toBe('opt-out');
    expect(consentKeyword('start')).toBe('opt-in');
    expect(consentKeyword('please stop calling me at night')).toBeNull();
    expect(consentKeyword('hello')).toBeNull();
    expect(consentKeyword('', { optOut: ['x'], optIn: [] })).toBeNull();
    expect(consentKeyword('PARA', { optOut: ['para'], optIn: ['volver'] })).toBe('opt-out');
  });
});

import { csvCell, parseCsv } from '../../server/campaigns/csv';

test('the export leaves plain signed numbers (E.164 phones) alone and still guards formulas', () => {
  expect(csvCell('+33612345678')).toBe('+33612345678');
  expect(csvCell('-12')).toBe('-12');
  expect(csvCell('=1+1')).toBe("'=1+1");
  expect(csvCell('+1 555 000')).toBe("'+1 555 000");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
});

test('an unterminated quote, an empty or a repeated header is refused', () => {
  expect(() => parseCsv('phone,name\n"+33612345678,Ann\n')).toThrow(/never closed/);
  expect(() => parseCsv('phone,,name\n+33612345678,x,Ann\n')).toThrow(/needs a name/);
  expect(() => parseCsv('phone,phone\n+33612345678,+33612345679\n')).toThrow(/phone appears twice/);
  expect(parseCsv('phone,name\n"+33 6 12",Ann\n').rows[0]).toMatchObject({ phone: '+33 6 12', name: 'Ann' });
});

/**
 * ISO 4217 numeric to alphabetic codes for the currencies a European dark store meets. An
 * amount in another currency still decodes; it keeps its numeric code and gets a warning.
 */
export const ISO_4217: Readonly<Record<string, string>> = {
  '036': 'AUD', '124': 'CAD', '156': 'CNY', '203': 'CZK', '208': 'DKK', '348': 'HUF', '352': 'ISK', '392': 'JPY',
  '554': 'NZD', '578': 'NOK', '643': 'RUB', '752': 'SEK', '756': 'CHF', '826': 'GBP', '840': 'USD', '946': 'RON',
  '949': 'TRY', '975': 'BGN', '978': 'EUR', '980': 'UAH', '985': 'PLN', '933': 'BYN', '191': 'HRK', '941': 'RSD',
};

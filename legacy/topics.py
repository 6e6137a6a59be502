"""Classify the topic lines of legacy stories as countries, series or themes.

Pure Python (no Django). Matching ignores case, accents, punctuation, a
leading "The" and the spelling of "Saint"/"St", so "Côte d'Ivoire",
"cote d’ivoire" and "COTE D'IVOIRE" are the same country.
"""

from __future__ import annotations

import re
import unicodedata

from newsroom.text import fold_quotes

COUNTRY = "country"
SERIES = "series"
THEME = "theme"

# One entry per line: a country followed by its variants and transliterations
# (IWPR's own spellings such as "Kazakstan" included). Disputed and de facto
# states IWPR reports on as places in their own right are listed too.
_COUNTRY_LINES = """
Afghanistan | Afganistan
Albania
Algeria
Andorra
Angola
Antigua and Barbuda
Argentina
Armenia
Australia
Austria
Azerbaijan | Azerbaidjan | Azerbaydzhan | Azerbaijan Republic
Bahamas
Bahrain
Bangladesh
Barbados
Belarus | Byelorussia | Belorussia | Belarussia
Belgium
Belize
Benin
Bhutan
Bolivia
Bosnia and Herzegovina | Bosnia-Herzegovina | Bosnia | Bosnia Hercegovina | BiH
Botswana
Brazil
Brunei | Brunei Darussalam
Bulgaria
Burkina Faso
Burundi
Cambodia | Kampuchea
Cameroon
Canada
Cape Verde | Cabo Verde
Central African Republic | CAR
Chad
Chile
China | People's Republic of China | PRC
Colombia
Comoros
Congo | Republic of the Congo | Republic of Congo | Congo-Brazzaville
Democratic Republic of Congo | Democratic Republic of the Congo | DR Congo | DRC | Congo-Kinshasa | Zaire
Costa Rica
Côte d'Ivoire | Ivory Coast
Croatia
Cuba
Cyprus
Czech Republic | Czechia
Denmark
Djibouti
Dominica
Dominican Republic
East Timor | Timor-Leste
Ecuador
Egypt
El Salvador
Equatorial Guinea
Eritrea
Estonia
Eswatini | Swaziland
Ethiopia
Fiji
Finland
France
Gabon
Gambia
Georgia
Germany
Ghana
Greece
Grenada
Guatemala
Guinea
Guinea-Bissau
Guyana
Haiti
Honduras
Hungary
Iceland
India
Indonesia
Iran | Islamic Republic of Iran | Persia
Iraq
Ireland | Eire
Israel
Italy
Jamaica
Japan
Jordan
Kazakhstan | Kazakstan | Kazakh Republic | Qazaqstan
Kenya
Kiribati
North Korea | DPRK | Democratic People's Republic of Korea
South Korea | Republic of Korea | Korea
Kosovo
Kuwait
Kyrgyzstan | Kyrgyz Republic | Kyrgyzia | Kirghizia | Kirgizia | Kirgizstan | Kirghizstan
Laos | Lao PDR
Latvia
Lebanon
Lesotho
Liberia
Libya
Liechtenstein
Lithuania
Luxembourg
Madagascar
Malawi
Malaysia
Maldives
Mali
Malta
Marshall Islands
Mauritania
Mauritius
Mexico
Micronesia | Federated States of Micronesia
Moldova | Moldavia
Monaco
Mongolia
Montenegro
Morocco
Mozambique
Myanmar | Burma
Namibia
Nauru
Nepal
Netherlands | Holland
New Zealand
Nicaragua
Niger
Nigeria
North Macedonia | Macedonia | FYROM | Former Yugoslav Republic of Macedonia
Norway
Oman
Pakistan
Palau
Palestine | Palestinian Territories | Occupied Palestinian Territories | West Bank and Gaza | Gaza
Panama
Papua New Guinea
Paraguay
Peru
Philippines
Poland
Portugal
Qatar
Romania
Russia | Russian Federation
Rwanda
Saint Kitts and Nevis | Saint Christopher and Nevis
Saint Lucia
Saint Vincent and the Grenadines
Samoa
San Marino
São Tomé and Príncipe
Saudi Arabia
Senegal
Serbia
Serbia and Montenegro | Yugoslavia | Federal Republic of Yugoslavia
Seychelles
Sierra Leone
Singapore
Slovakia
Slovenia
Solomon Islands
Somalia
South Africa
South Sudan
Spain
Sri Lanka
Sudan
Suriname | Surinam
Sweden
Switzerland
Syria | Syrian Arab Republic
Taiwan
Tajikistan | Tadjikistan | Tajikstan | Tadzhikistan
Tanzania
Thailand
Togo
Tonga
Trinidad and Tobago
Tunisia
Turkey | Türkiye
Turkmenistan | Turkmenia
Tuvalu
Uganda
Ukraine
United Arab Emirates | UAE
United Kingdom | UK | Britain | Great Britain
United States | United States of America | USA | US
Uruguay
Uzbekistan | Uzbekstan
Vanuatu
Vatican | Vatican City | Holy See
Venezuela
Vietnam | Viet Nam
Western Sahara
Yemen
Zambia
Zimbabwe
Abkhazia
South Ossetia
Nagorno-Karabakh | Nagorny Karabakh | Nagorno Karabakh | Karabakh | Artsakh
Transdniestria | Transnistria | Pridnestrovie
Northern Cyprus | Turkish Republic of Northern Cyprus
Somaliland
Soviet Union | USSR
"""

# Known IWPR series; names ending in one of _SERIES_ENDINGS are series too.
_SERIES_NAMES = """
Frontline Updates
Caucasus Reporting Service
Reporting Central Asia
Afghan Recovery Report
Iraqi Crisis Report
Iraq Crisis Report
Balkan Crisis Report
Tribunal Update
Africa Reports
Syria Stories
"""
_SERIES_ENDINGS = (
    "update",
    "updates",
    "series",
    "briefing",
    "briefings",
    "digest",
    "bulletin",
    "bulletins",
    "newsletter",
    "roundup",
    "round up",
    "reporting service",
    "crisis report",
    "recovery report",
)

# After quotes are folded (newsroom.text): hyphens and dashes separate words,
# "&" is "and".
_WORD_SEPARATORS = str.maketrans({"-": " ", "\u2010": " ", "\u2011": " ", "&": " and "})
_PUNCTUATION = re.compile(r"[.,'\"()\[\]]")


def _key(name: str) -> str:
    """The matching key of a topic name: lower case, no accents or punctuation."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = _PUNCTUATION.sub("", fold_quotes(text).translate(_WORD_SEPARATORS).casefold())
    words = ["saint" if word == "st" else word for word in text.split()]
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


_COUNTRY_KEYS = frozenset(
    _key(variant) for line in _COUNTRY_LINES.strip().splitlines() for variant in line.split("|")
)
_SERIES_KEYS = frozenset(_key(name) for name in _SERIES_NAMES.strip().splitlines())
_SERIES_ENDING_KEYS = tuple(_key(ending) for ending in _SERIES_ENDINGS)


def classify_topic(name: str) -> str:
    """Return "country", "series" or "theme" for a topic line such as "Kazakhstan"."""
    key = _key(name)
    if key in _COUNTRY_KEYS:
        return COUNTRY
    if key in _SERIES_KEYS or any(
        key == ending or key.endswith(" " + ending) for ending in _SERIES_ENDING_KEYS
    ):
        return SERIES
    return THEME

"""Quoted sources in the constructions a careful reader calls quoting.

Short stories, several per construction: a description with an appositive
inside it, an age before the description, a role set off by commas before
the name, the inverted form with a role, and a pronoun quoted in the
paragraph after each of them.  Ages: an age given as its own appositive
("Marat Ibraev, 64, a retired teacher") is not part of the description, the
phrase after it is; an age written into the noun phrase ("a 27-year-old
builder") stays, as written.
"""

import pytest

from legacy.result import Source
from legacy.sources import extract_sources


def sources_of(story):
    return extract_sources(story["body"], exclude=story.get("authors", ()))


# --------------------------------------------------------------------------
# A description with an appositive inside it
# --------------------------------------------------------------------------

APPOSITIVE_CHAINS = [
    {
        "body": [
            "Coal miners in Karaganda refused to go underground on Monday, four days "
            "after a methane blast at the Lenin mine killed four men.",
            "Yerzhan Sadykov, chairman of the Federation of Coal and Metal Workers, an "
            "independent trade union based in Temirtau, told IWPR that the ventilation "
            "system had not been repaired since the spring.",
            "“The company knew the sensors were broken. Everybody knew,” he said.",
        ],
        "sources": [
            Source(
                "Yerzhan Sadykov",
                "chairman of the Federation of Coal and Metal Workers, an independent "
                "trade union based in Temirtau",
            )
        ],
    },
    {
        "body": [
            "Teachers in the northern Sughd region have not been paid since October.",
            "Gulnora Nazarova, a deputy director of Ittifoq, a Khujand-based "
            "association of teachers, explained that schools had been told to wait "
            "for the new budget.",
            "“Teachers are borrowing money to buy bread,” she added. “Some have gone "
            "to Russia in the middle of the school year.”",
        ],
        "sources": [
            Source(
                "Gulnora Nazarova",
                "deputy director of Ittifoq, a Khujand-based association of teachers",
            )
        ],
    },
    {
        "body": [
            "Kanat Beisembaev, 52, a founder of Erkin Soz, an Almaty-based media rights "
            "group, said the new law would close half the regional newspapers.",
            "He said editors had already started to refuse stories about local officials.",
        ],
        "sources": [
            Source("Kanat Beisembaev", "founder of Erkin Soz, an Almaty-based media rights group")
        ],
    },
    {
        # The speaker's appositive names someone else: only the speaker is quoted.
        "body": [
            "Aibek Dzhumaliev, an adviser to Sadyr Tashiev, the former mayor of Osh, "
            "said the council had never seen the contract.",
            "“Nobody asked us,” he said.",
        ],
        "sources": [
            Source("Aibek Dzhumaliev", "adviser to Sadyr Tashiev, the former mayor of Osh")
        ],
    },
]


@pytest.mark.parametrize("story", APPOSITIVE_CHAINS)
def test_a_description_with_an_appositive_inside_it(story):
    assert sources_of(story) == story["sources"]


def test_a_speech_verb_after_an_organisation_in_an_appositive_is_the_speakers():
    # "said" belongs to Petrov, not to "Drillers": the pronoun after it too.
    body = [
        "Nikola Petrov, head of the Union of Miners and Drillers, a Donetsk-based trade "
        "union, said the shaft had failed two inspections.",
        "“We have asked for inspectors for years,” he said.",
    ]
    assert extract_sources(body) == [
        Source(
            "Nikola Petrov", "head of the Union of Miners and Drillers, a Donetsk-based trade union"
        )
    ]
    assert extract_sources(body[:1]) == extract_sources(body)


# --------------------------------------------------------------------------
# An age before the description
# --------------------------------------------------------------------------

AGES = [
    {
        "body": [
            "In the village of Kok-Yangak, pensioners queue outside the post office on "
            "the fifth of every month.",
            "Marat Ibraev, 64, a retired teacher who lost his savings when the local bank "
            "collapsed, said his pension no longer paid for coal for the winter.",
            "“I taught half this village to read,” he said. “Now I cannot heat one room.”",
        ],
        "sources": [
            Source(
                "Marat Ibraev",
                "retired teacher who lost his savings when the local bank collapsed",
            )
        ],
    },
    {
        "body": [
            "Saltanat Ermekova, 38, a nurse at the district hospital in Talas, told IWPR "
            "that staff had not been paid for three months.",
            "“We are tired of promises,” said Bakhyt Omurov, 57, a shepherd from At-Bashi.",
            "Omurov added that the road to the summer pastures had been closed since May.",
        ],
        "sources": [
            Source("Saltanat Ermekova", "nurse at the district hospital in Talas"),
            Source("Bakhyt Omurov", "shepherd from At-Bashi"),
        ],
    },
    {
        # An age alone describes nobody.
        "body": ["Zamira Tokteeva, aged 71, said she had not seen a doctor for a year."],
        "sources": [Source("Zamira Tokteeva", "")],
    },
    {
        # Mentioned with an age and a description, quoted later by surname.
        "body": [
            "Aziza Yuldasheva, 29, a seamstress from Osh, was among the 40 migrants "
            "deported from Moscow last week.",
            "Yuldasheva said she had lived in Russia for six years without a single fine.",
        ],
        "sources": [Source("Aziza Yuldasheva", "seamstress from Osh")],
    },
]


@pytest.mark.parametrize("story", AGES)
def test_an_age_before_the_description(story):
    assert sources_of(story) == story["sources"]


# --------------------------------------------------------------------------
# A role before the name, set off by commas
# --------------------------------------------------------------------------

SET_OFF_ROLES = [
    {
        "body": [
            "Clinics in Naryn have run out of insulin for the second time this year.",
            "The head of the regional health department, Asel Omarova, said a delivery "
            "had been held up at the border for three weeks.",
            "“We have written to the ministry twice,” she said.",
        ],
        "sources": [Source("Asel Omarova", "head of the regional health department")],
    },
    {
        "body": [
            "Speaking in Khorog, the deputy governor of Gorno-Badakhshan, Shodikhon "
            "Jamshedov, told IWPR that the Pamir highway would reopen within a month.",
            "He explained that landslides had cut the road in eleven places.",
        ],
        "sources": [Source("Shodikhon Jamshedov", "deputy governor of Gorno-Badakhshan")],
    },
    {
        "body": [
            "Complaints about police torture have doubled since January, according to "
            "figures released on Tuesday.",
            "Kazakstan’s human rights ombudsman, Askar Shaigumarov, explained that most "
            "complaints came from pre-trial detention centres.",
        ],
        "sources": [Source("Askar Shaigumarov", "Kazakstan’s human rights ombudsman")],
    },
    {
        "body": [
            "But his lawyer, Anar Guliyev, 44, argued that the search had been "
            "conducted without a warrant.",
        ],
        "sources": [Source("Anar Guliyev", "his lawyer")],
    },
    {
        "body": [
            "Residents of the Cheremushki district have had no running water for a week.",
            "Another resident, Dilfuza Karimova, said she carried buckets from a "
            "standpipe two streets away.",
            "The group’s coordinator in Osh, Aziza Abdirasulova, warned that the "
            "district’s only pump had broken twice since January.",
            "“Nobody will fix it before the elections,” she said.",
        ],
        "sources": [
            Source("Dilfuza Karimova", "Another resident"),
            Source("Aziza Abdirasulova", "The group’s coordinator in Osh"),
        ],
    },
]


@pytest.mark.parametrize("story", SET_OFF_ROLES)
def test_a_role_before_the_name_set_off_by_commas(story):
    assert sources_of(story) == story["sources"]


def test_a_role_set_off_before_a_mention_describes_a_later_quote():
    sources = extract_sources(
        [
            "The editor of the Osh weekly Itogi, Nurlan Zhakipov, was fined for libel on Monday.",
            "Zhakipov said he would not pay.",
        ]
    )
    assert sources == [Source("Nurlan Zhakipov", "editor of the Osh weekly Itogi")]


# --------------------------------------------------------------------------
# The inverted form with a role
# --------------------------------------------------------------------------

INVERTED_ROLES = [
    {
        "body": [
            "A court in Baku has sentenced the blogger Rashad Huseynov to four years in "
            "prison for hooliganism.",
            "“We will appeal to the Supreme Court,” said the family’s lawyer, Elchin Aliev.",
            "“The investigators ignored every witness we brought,” he said.",
        ],
        "sources": [Source("Elchin Aliev", "the family’s lawyer")],
    },
    {
        "body": [
            "Floods have closed the school in the Imereti village of Sviri for a month.",
            "“Nobody from the ministry has come to see the damage,” said the head of the "
            "village council, Levan Tsiklauri, standing beside the flooded classrooms.",
            "Tsiklauri said the repairs would cost at least 40,000 lari.",
        ],
        "sources": [Source("Levan Tsiklauri", "head of the village council")],
    },
    {
        "body": [
            "According to the director of the Batken water authority, Kubat Osmonov, the "
            "main canal will not be repaired before the autumn.",
            "“We have money for cement but not for the engineers,” he said.",
        ],
        "sources": [Source("Kubat Osmonov", "director of the Batken water authority")],
    },
    {
        "body": [
            "Bus fares in Yerevan will rise by half from next month.",
            "“The companies have lost money for three years,” added a spokeswoman for "
            "the city hall, Anna Grigoryan.",
        ],
        "sources": [Source("Anna Grigoryan", "spokeswoman for the city hall")],
    },
    {
        # The person the role is about is not the speaker.
        "body": [
            "“My client was beaten in custody,” said the lawyer for Timur Aliev, Anar Guliyev.",
        ],
        "sources": [Source("Anar Guliyev", "lawyer for Timur Aliev")],
    },
]


@pytest.mark.parametrize("story", INVERTED_ROLES)
def test_the_inverted_form_with_a_role(story):
    assert sources_of(story) == story["sources"]


# --------------------------------------------------------------------------
# Not sources
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # An organisation whose name has commas in it.
        [
            "The Association of Farmers, Herders and Beekeepers, a Bishkek-based lobby "
            "group, said the new tariffs would ruin small farms."
        ],
        # A person mentioned with an age, not quoted.
        [
            "Ruslan Kasymov, 45, was detained at the Dostuk crossing on Tuesday.",
            "Border guards said he had no valid visa.",
        ],
        [
            "Marat Ibraev, 64, a retired teacher who lost his savings, was buried on "
            "Sunday in Kok-Yangak."
        ],
        # Anonymous speakers.
        ["A spokesman, who declined to be named, said the ministry was not to blame."],
        [
            "A spokesman for the interior ministry, who declined to be named, said the "
            "detentions were lawful.",
            "“There was no violence,” he said.",
        ],
        ["“We fill every bottle we own,” said one resident, who asked not to be named."],
        # A role before the name, where the name is the object.
        ["Police arrested the head of the local union, Bakyt Asanov, on Monday."],
        ["The court fined the editor of the Osh weekly, Nurlan Zhakipov, for libel."],
        [
            "Prosecutors accused the leader of the movement, Bakyt Asanov, of organising "
            "the strike, the agency said."
        ],
        # A place set off by commas is no role.
        ["In Almaty, the capital, officials said the vote had been fair."],
        # Whose name is it, the father's or the blogger's?  Neither is claimed.
        ["The father of the jailed blogger, Ilkhom Nazarov, said the family had not been told."],
    ],
)
def test_people_mentioned_organisations_and_anonymous_speakers_stay_out(body):
    assert extract_sources(body) == []


def test_an_appositive_after_a_name_is_not_the_next_persons_role():
    sources = extract_sources(
        [
            "Yevgeny Zhovtis, head of the bureau, Sergei Duvanov and Pavel Shumkin said "
            "they would appeal."
        ]
    )
    assert "head of the bureau" not in {s.description for s in sources}

"""The demo dataset: every fact of the source presentation, in Japanese and English.

Source: a Saitama City presentation on its zero-carbon-city work and its international
city-to-city activities. English uses the terms bilingual Japanese government documents
normally use (主催 "Organized by", 後援 "Supported by", 市長（当時） "then Mayor" …).

Rules kept here:
- only what the source says; anything it does not say (a date, a name, a time, a venue) is left out
  and so stays NULL in the store — nothing is invented;
- every Japanese text has its English beside it (``*_ja`` / ``*_en``), and vice versa;
- records refer to each other by slug (``"city": "saitama"``); the loader resolves the slugs;
- dates are ISO text (``"2022-11-22"``); session times are local wall-clock ``"HH:MM"`` in the
  event's time zone; fuzzy dates (``"2009"``, ``"2019-07"``, ``"FY2026"``) as ``fuzzy.py`` writes them;
- rows are in source order; the loader numbers ``sort_order`` from it (1, 2, …) per parent and role.

The data is grouped by the slide that first names a fact. Each slide is a dict whose keys are table
names (``models.ALL_TABLES``' ``__tablename__``), so the loader can gather them per table.
"""

from __future__ import annotations

# One fixed timestamp for created_at / updated_at, so that a dump of the demo is deterministic.
TIMESTAMP = "2026-01-01T00:00:00+00:00"
# Documents the demo records as already sent (``citynet release``), at TIMESTAMP: the COP29
# briefing in both languages, so that ``citynet changes --event cop29 --since v1`` has a base.
RELEASES = (dict(document="briefing", event="cop29", lang="both"),)


# --- Slide 1: ゼロカーボンシティの実現に向けたこれまでの取組 ---------------------------------------
# (Efforts so far towards a Zero Carbon City)

SLIDE_MILESTONES = {
    "source": "ゼロカーボンシティの実現に向けたこれまでの取組",
    "city": [
        dict(slug="saitama", name_ja="さいたま市", name_en="Saitama", name_kana="さいたまし",
             country="JP", region_ja="埼玉県", region_en="Saitama Prefecture",
             timezone="Asia/Tokyo", is_home=True),
    ],
    "organisation": [
        dict(slug="saitama-city-government", name_ja="さいたま市", name_en="Saitama City",
             name_kana="さいたまし", kind="city_government", country="JP", city="saitama"),
        dict(slug="cabinet-office", name_ja="内閣府", name_en="Cabinet Office", name_kana="ないかくふ",
             kind="ministry", country="JP",
             notes_ja="次世代自動車・スマートエネルギー特区を地域活性化総合特区に指定",
             notes_en="Designated the Next-Generation Vehicle and Smart Energy Special Zone as a "
                      "Comprehensive Special Zone for Regional Revitalisation"),
    ],
    "milestone": [
        dict(slug="e-kizuna-project", city="saitama", when="2009", ongoing=True,
             title_ja="E-KIZUNA Project", title_en="E-KIZUNA Project",
             description_ja="電気自動車の普及",
             description_en="Promoting the adoption of electric vehicles"),
        dict(slug="next-generation-vehicle-smart-energy-zone", city="saitama", when="2011", ongoing=True,
             title_ja="次世代自動車・スマートエネルギー特区",
             title_en="Next-Generation Vehicle and Smart Energy Special Zone",
             description_ja="内閣府 地域活性化総合特区に指定",
             description_en="Designated a Comprehensive Special Zone for Regional Revitalisation "
                            "by the Cabinet Office"),
        dict(slug="sdgs-future-city", city="saitama", when="2019-07", ongoing=True,
             title_ja="ＳＤＧｓ未来都市に選定", title_en="Selected as an SDGs Future City"),
        dict(slug="zero-carbon-city-declaration", city="saitama", when="2020-07", ongoing=True,
             title_ja="2050年二酸化炭素排出実質ゼロ（ゼロカーボンシティ）を表明",
             title_en="Declared net-zero CO2 emissions by 2050 (Zero Carbon City)",
             description_ja="温室効果ガスの排出量は削減傾向にあるものの、ゼロカーボンシティ達成に向けた"
                            "更なる取組が必要。",
             description_en="Greenhouse-gas emissions are on a downward trend, but further efforts "
                            "are needed to become a Zero Carbon City."),
        dict(slug="decarbonization-leading-area", city="saitama", when="2022-04", ongoing=True,
             title_ja="脱炭素先行地域に選定", title_en="Selected as a Decarbonization Leading Area"),
        dict(slug="saitama-sustainable-city-summit", city="saitama", when="2022-11",
             event="saitama-summit-2022",
             title_ja="さいたまサステナブル都市サミット開催",
             title_en="Held the Saitama Sustainable City Summit"),
        dict(slug="decarbonization-co-creation-platform", city="saitama", when="2024-08",
             title_ja="地域脱炭素共創推進プラットフォーム設立",
             title_en="Founded the Regional Decarbonization Co-creation Platform",
             description_ja="地域脱炭素共創推進プラットフォームを活用して脱炭素化の加速化を図る",
             description_en="The city uses the Regional Decarbonization Co-creation Platform to "
                            "accelerate decarbonisation."),
    ],
}


# --- Slide 2: さいたま市における温室効果ガス排出量の状況 ------------------------------------------
# (Greenhouse-gas emissions in Saitama City)

SLIDE_EMISSIONS = {
    "source": "さいたま市における温室効果ガス排出量の状況",
    "key_figure": [
        # 基準年度実績 767.4万t-CO2; the base year is FY2013 (2013年度比).
        dict(slug="ghg-emissions-base-year", city="saitama", kind="actual",
             label_ja="温室効果ガス排出量（基準年度実績）",
             label_en="Greenhouse-gas emissions (base year, actual)",
             value=7_674_000, unit="t-CO2", period="FY2013"),
        # 基準年度比 21.7％削減（実績）: the year of the actual figure is not given.
        dict(slug="ghg-reduction-actual", city="saitama", kind="actual",
             label_ja="温室効果ガス排出量の削減率（基準年度比・実績）",
             label_en="Reduction in greenhouse-gas emissions against the base year (actual)",
             value=21.7, unit="%", base_period="FY2013"),
        # 2013年度比 51％削減（目標）, for FY2030.
        dict(slug="ghg-reduction-target-fy2030", city="saitama", kind="target",
             label_ja="温室効果ガス排出量の削減目標（2013年度比）",
             label_en="Greenhouse-gas emissions reduction target (against FY2013)",
             value=51, unit="%", period="FY2030", base_period="FY2013"),
        # 2050年度 ゼロカーボンシティ達成(目標): net emissions of zero tonnes.
        dict(slug="zero-carbon-city-fy2050", city="saitama", kind="target",
             label_ja="ゼロカーボンシティ達成（温室効果ガス排出量実質ゼロ）",
             label_en="Becoming a Zero Carbon City (net-zero greenhouse-gas emissions)",
             value=0, unit="t-CO2", period="FY2050"),
    ],
}


# --- Slide 3: さいたま市脱炭素先行地域事業 ---------------------------------------------------------
# (Saitama City's Decarbonization Leading Area project)

SLIDE_LEADING_AREA = {
    "source": "さいたま市脱炭素先行地域事業",
    "organisation": [
        dict(slug="shibaura-institute-of-technology", name_ja="学校法人芝浦工業大学",
             name_en="Shibaura Institute of Technology",
             name_kana="がっこうほうじんしばうらこうぎょうだいがく", kind="university", country="JP"),
        dict(slug="saitama-university", name_ja="国立大学法人埼玉大学", name_en="Saitama University",
             name_kana="こくりつだいがくほうじんさいたまだいがく", kind="university", country="JP"),
        dict(slug="tepco-power-grid-saitama", name_ja="東京電力パワーグリッド株式会社埼玉総支社",
             name_en="TEPCO Power Grid, Inc., Saitama Branch",
             name_kana="とうきょうでんりょくぱわーぐりっどかぶしきがいしゃさいたまそうししゃ",
             kind="company", country="JP"),
    ],
    "project": [
        dict(slug="green-co-creation-model", city="saitama",
             title_ja="さいたま発の公民学によるグリーン共創モデル",
             title_en="Green co-creation model by the public, private and academic sectors, "
                      "from Saitama",
             summary_ja=(
                 "さいたま市脱炭素先行地域事業の提案。"
                 "提案内容のポイント1：公・民・学それぞれが主体となって先進的かつサステナブルな取組を"
                 "共創するグリーン成長モデル。"
                 "ポイント2：再エネポテンシャルの低い自治体でも取組・実現可能な汎用性の高いサステナブル"
                 "な都市型のエネルギーモデル。"
                 "さいたま市のゴール（2030年までに目指す地域脱炭素の姿）：地域循環共生型の都市エネルギー"
                 "モデル構築、「公・民・学」それぞれが主体となって取り組むグリーン成長モデルの実現。"),
             summary_en=(
                 "Saitama City's Decarbonization Leading Area proposal. "
                 "Point 1 of the proposal: a green growth model in which the public, private and "
                 "academic sectors each take the lead in co-creating advanced, sustainable initiatives. "
                 "Point 2: a highly general-purpose, sustainable urban energy model that even "
                 "municipalities with low renewable-energy potential can implement. "
                 "Saitama City's goal (the picture of local decarbonisation to achieve by 2030): "
                 "building an urban energy model based on regional circulation and symbiosis, and "
                 "realising a green growth model in which the public, private and academic sectors "
                 "each take the lead."),
             ),
    ],
    "project_partner": [
        dict(project="green-co-creation-model", organisation="saitama-city-government", role="proposer"),
        dict(project="green-co-creation-model", organisation="shibaura-institute-of-technology",
             role="co_proposer"),
        dict(project="green-co-creation-model", organisation="saitama-university", role="co_proposer"),
        dict(project="green-co-creation-model", organisation="tepco-power-grid-saitama",
             role="co_proposer"),
    ],
}


# --- Slide 4: 民間事業者との共創事例（脱炭素先行地域） ---------------------------------------------
# (A co-creation project with a private company, in the Decarbonization Leading Area)

SLIDE_WASTE_POWER = {
    "source": "民間事業者との共創事例（脱炭素先行地域）",
    "organisation": [
        dict(slug="tepco-holdings", name_ja="東京電力ホールディングス株式会社",
             name_en="Tokyo Electric Power Company Holdings, Inc. (TEPCO Holdings)",
             name_kana="とうきょうでんりょくほーるでぃんぐすかぶしきがいしゃ",
             abbreviation="TEPCO HD", kind="company", country="JP"),
    ],
    "project": [
        dict(slug="waste-power-energy-management", city="saitama",
             title_ja="ごみ発電を活用したエネルギーマネジメント事業",
             title_en="Energy management project using waste-to-energy power",
             summary_ja=(
                 "東京電力ホールディングス株式会社との共創事業（脱炭素先行地域）。"
                 "市内のごみ処理施設においてごみの焼却時に発生する電気を、自己託送制度により市内公共"
                 "施設で活用する事業。さいたま市で作った電気をさいたま市で使う「電力の地産地消」を実現"
                 "するとともに、電力使用量の「見える化」による更なる省エネを推進し、学校教育などにも"
                 "繋げていく。"),
             summary_en=(
                 "A co-creation project with Tokyo Electric Power Company Holdings, Inc. "
                 "(Decarbonization Leading Area). Electricity generated when waste is incinerated at "
                 "the city's waste-treatment facilities is used at the city's public facilities "
                 "through the self-consignment scheme. The project realises local production for "
                 "local consumption of electricity — power made in Saitama City is used in Saitama "
                 "City — promotes further energy saving through visualisation of electricity use, "
                 "and links it to school education and other activities."),
             start="FY2026", planned=True),  # 実施開始年度 令和８年度（予定）
    ],
    "project_partner": [
        dict(project="waste-power-energy-management", organisation="tepco-holdings", role="partner"),
    ],
}


# --- Slide 5: さいたま市の国際的な取組み — さいたまサステナブル都市サミット ------------------------
# (Saitama City's international activities: the Saitama Sustainable City Summit)

SLIDE_SUMMIT = {
    "source": "さいたま市の国際的な取組み",
    "organisation": [
        dict(slug="iclei-japan", name_ja="イクレイ日本", name_en="ICLEI Japan",
             name_kana="いくれいにほん", kind="ngo", country="JP"),
        dict(slug="mofa", name_ja="外務省", name_en="Ministry of Foreign Affairs (MOFA)",
             name_kana="がいむしょう", abbreviation="MOFA", kind="ministry", country="JP"),
        dict(slug="moe", name_ja="環境省", name_en="Ministry of the Environment (MOE)",
             name_kana="かんきょうしょう", abbreviation="MOE", kind="ministry", country="JP"),
        dict(slug="mlit", name_ja="国土交通省",
             name_en="Ministry of Land, Infrastructure, Transport and Tourism (MLIT)",
             name_kana="こくどこうつうしょう", abbreviation="MLIT", kind="ministry", country="JP"),
        dict(slug="meti", name_ja="経済産業省", name_en="Ministry of Economy, Trade and Industry (METI)",
             name_kana="けいざいさんぎょうしょう", abbreviation="METI", kind="ministry", country="JP"),
    ],
    "event": [
        dict(slug="saitama-summit-2022", kind="summit",
             title_ja="さいたまサステナブル都市サミット～E-KIZUNA グローバルサミット～",
             title_en="Saitama Sustainable City Summit – E-KIZUNA Global Summit –",
             theme_ja="持続可能な都市の実現に向けて、今、私たちがすべきこと",
             theme_en="What we should do now to realise sustainable cities",
             start_date="2022-11-22", end_date="2022-11-24",  # 3日間, all day: no instants
             timezone="Asia/Tokyo", city="saitama", status="held"),  # venue not given
    ],
    "organisation_role": [
        dict(event="saitama-summit-2022", organisation="saitama-city-government", role="host"),  # 主催
        dict(event="saitama-summit-2022", organisation="iclei-japan", role="co_host"),  # 共催
        dict(event="saitama-summit-2022", organisation="mofa", role="support"),  # 後援
        dict(event="saitama-summit-2022", organisation="moe", role="support"),
        dict(event="saitama-summit-2022", organisation="mlit", role="support"),
        dict(event="saitama-summit-2022", organisation="meti", role="support"),
        # 協賛：23企業 — the source gives the count only, so no sponsor rows (see the totals).
    ],
    "participation_totals": [
        dict(event="saitama-summit-2022", total=329, overseas_countries=9, overseas_cities=15,
             domestic_cities=22, organisations=50, sponsors=23,
             notes_ja="海外9か国15都市をはじめ、国内22都市、50企業・団体など 329名。協賛：23企業"
                      "（企業名は資料に記載なし）。",
             notes_en="329 participants, including 15 cities from 9 overseas countries, 22 domestic "
                      "cities and 50 companies and organisations. Sponsored by 23 companies (not "
                      "named in the source)."),
    ],
}


# --- Slide 6: Urban7の活動 — the Urban7 session at the 2022 summit; what Urban7 is --------------

SLIDE_URBAN7_2022 = {
    "source": "Urban7の活動（さいたまサステナブル都市サミット 2022.11）",
    "city": [
        dict(slug="mannheim", name_ja="マンハイム市", name_en="Mannheim", country="DE",
             region_ja="バーデン＝ヴュルテンベルク州", region_en="Baden-Württemberg",
             timezone="Europe/Berlin"),
        dict(slug="muenster", name_ja="ミュンスター市", name_en="Münster", country="DE",
             region_ja="ノルトライン＝ヴェストファーレン州", region_en="North Rhine-Westphalia",
             timezone="Europe/Berlin"),
        dict(slug="nuremberg", name_ja="ニュルンベルク市", name_en="Nuremberg", country="DE",
             region_ja="バイエルン州", region_en="Bavaria", timezone="Europe/Berlin"),
    ],
    "relationship": [
        dict(slug="saitama-mannheim", city="mannheim", kind="network_partner", status="active",
             notes_ja="Urban7の活動：さいたまサステナブル都市サミット（2022年11月）のセッションに市長が登壇",
             notes_en="Urban7 activities: the Mayor spoke at a session of the Saitama Sustainable "
                      "City Summit (November 2022)"),
        dict(slug="saitama-muenster", city="muenster", kind="network_partner", status="active",
             notes_ja="Urban7の活動：さいたまサステナブル都市サミット（2022年11月）のセッションに市長が登壇",
             notes_en="Urban7 activities: the Mayor spoke at a session of the Saitama Sustainable "
                      "City Summit (November 2022)"),
        dict(slug="saitama-nuremberg", city="nuremberg", kind="network_partner", status="active",
             notes_ja="Urban7の活動：さいたまサステナブル都市サミット（2022年11月）のセッションに市長が登壇",
             notes_en="Urban7 activities: the Mayor spoke at a session of the Saitama Sustainable "
                      "City Summit (November 2022)"),
    ],
    "organisation": [
        dict(slug="designated-cities-mayors-association", name_ja="指定都市市長会",
             name_en="Designated Cities Mayors' Association", name_kana="していとししちょうかい",
             kind="association", country="JP"),
    ],
    "network": [
        dict(slug="urban7", name_ja="Urban7", name_en="Urban7", founded="2021",
             description_ja="G7各国の都市連合で構成される連合体であり、G7各国政府へ共同して意見を"
                            "述べることを目的に、2021年に立ち上げられた。",
             description_en="An alliance made up of the municipal associations of the G7 countries, "
                            "launched in 2021 to voice joint opinions to the G7 governments."),
    ],
    "membership": [
        # 日本からは指定都市市長会が都市連合として参画
        dict(network="urban7", organisation="designated-cities-mayors-association", country="JP",
             role_ja="日本の都市連合", role_en="Japan's municipal association"),
    ],
    # Names as the slide writes them (term dates are not given); the katakana forms are those the
    # Japanese press uses for these mayors.
    "person": [
        dict(slug="shimizu-hayato", family_name_ja="清水", given_name_ja="勇人",
             family_name_latin="Shimizu", given_name_latin="Hayato", name_kana="しみず はやと",
             name_order="family_first"),
        dict(slug="peter-kurz", family_name_latin="Kurz", given_name_latin="Peter",
             name_katakana="ペーター・クルツ", name_order="given_first"),
        dict(slug="markus-lewe", family_name_latin="Lewe", given_name_latin="Markus",
             name_katakana="マルクス・レーヴェ", name_order="given_first"),
        dict(slug="marcus-koenig", family_name_latin="König", given_name_latin="Marcus",
             name_katakana="マルクス・ケーニヒ", name_order="given_first"),
    ],
    # as_of: the slide names each holder at the summit of November 2022 and says nothing later
    # (the COP29 slides name the Mayor of Saitama by post only), so that is as far as each is
    # confirmed.
    "position": [
        dict(slug="mayor-of-saitama", city="saitama", person="shimizu-hayato",
             title_ja="さいたま市長", title_en="Mayor of Saitama City", as_of="2022-11"),
        dict(slug="mayor-of-mannheim", city="mannheim", person="peter-kurz",
             title_ja="マンハイム市長", title_en="Mayor of Mannheim", as_of="2022-11"),
        dict(slug="mayor-of-muenster", city="muenster", person="markus-lewe",
             title_ja="ミュンスター市長", title_en="Mayor of Münster", as_of="2022-11"),
        dict(slug="mayor-of-nuremberg", city="nuremberg", person="marcus-koenig",
             title_ja="ニュルンベルク市長", title_en="Mayor of Nuremberg", as_of="2022-11"),
    ],
    "session": [
        # Day and time within the summit are not given; nor is who moderated.
        dict(slug="saitama-summit-2022-urban7-session", event="saitama-summit-2022", kind="panel",
             theme_ja="グローバルな課題と地方公共団体の役割",
             theme_en="Global challenges and the role of local governments", status="held",
             notes_ja="Urban7の活動として紹介されたセッション",
             notes_en="Presented in the source as one of Urban7's activities"),
    ],
    "session_participant": [
        dict(session="saitama-summit-2022-urban7-session", person="shimizu-hayato",
             position="mayor-of-saitama", role="panelist"),
        dict(session="saitama-summit-2022-urban7-session", person="peter-kurz",
             position="mayor-of-mannheim", role="panelist"),
        dict(session="saitama-summit-2022-urban7-session", person="markus-lewe",
             position="mayor-of-muenster", role="panelist"),
        dict(session="saitama-summit-2022-urban7-session", person="marcus-koenig",
             position="mayor-of-nuremberg", role="panelist"),
    ],
}


# --- Slide 7: Urban7の活動 — 2025 ---------------------------------------------------------------

SLIDE_URBAN7_2025 = {
    "source": "Urban7の活動（2025）",
    "city": [
        dict(slug="kobe", name_ja="神戸市", name_en="Kobe", name_kana="こうべし", country="JP",
             region_ja="兵庫県", region_en="Hyōgo Prefecture", timezone="Asia/Tokyo"),
    ],
    "organisation": [
        dict(slug="fcm", name_ja="カナダ自治体連盟", name_en="Federation of Canadian Municipalities (FCM)",
             name_kana="かなだじちたいれんめい", abbreviation="FCM", kind="association", country="CA"),
        dict(slug="government-of-canada", name_ja="カナダ政府", name_en="Government of Canada",
             name_kana="かなだせいふ", kind="other", country="CA",
             notes_ja="カナダ自治体連盟からU7市長宣言を手交された（2025年5月29日）",
             notes_en="Received the U7 Mayors' Declaration from the Federation of Canadian "
                      "Municipalities (29 May 2025)"),
    ],
    "membership": [
        # FCM handed the U7 declaration to its national government: Canada's member of Urban7.
        dict(network="urban7", organisation="fcm", country="CA",
             role_ja="カナダの都市連合", role_en="Canada's municipal association"),
    ],
    "event": [
        dict(slug="u7-summit-2025", kind="summit",
             title_ja="2025 Urban7市長サミット", title_en="2025 Urban7 Mayors' Summit",
             start_date="2025-04-29", end_date="2025-04-29", timezone="Asia/Tokyo", city="kobe",
             network="urban7",  # an Urban7 summit by its title, though Kobe is not a member
             venue_ja="神戸ポートピアホテル", venue_en="Kobe Portopia Hotel", status="held",
             notes_ja="Urban7の活動", notes_en="An Urban7 activity"),
        dict(slug="u7-declaration-handover-2025", kind="ceremony",
             title_ja="カナダ自治体連盟がU7市長宣言をカナダ政府へ手交",
             title_en="The Federation of Canadian Municipalities hands the U7 Mayors' Declaration "
                      "to the Government of Canada",
             theme_ja="A Case for Constructive Multilevel Multilateralism"
                      "（建設的な多層的・多国間主義の実現に向けた提案）",
             theme_en="A Case for Constructive Multilevel Multilateralism",
             start_date="2025-05-29", end_date="2025-05-29",
             timezone="America/Toronto", status="held",
             notes_ja="資料は「5月29日」とのみ記載（年は2025年のUrban7の活動としての記載による）。"
                      "開催都市・会場は記載なし。タイムゾーンはカナダの首都オタワのもの"
                      "（America/Toronto）を仮に設定。",
             notes_en="The source says only \"29 May\" (the year 2025 comes from its place among "
                      "Urban7's 2025 activities). The city and venue are not given; the time zone is "
                      "that of Ottawa, Canada's capital (America/Toronto), as a placeholder."),
    ],
    "organisation_role": [
        dict(event="u7-declaration-handover-2025", organisation="fcm", role="host"),
    ],
}


# --- Slides 8–9: マレーシアとの都市間連携 --------------------------------------------------------
# (City-to-city collaboration with Malaysia). No dates are given for any of these visits.

_MALAYSIA_NOTE = dict(notes_ja="マレーシアとの都市間連携", notes_en="City-to-city collaboration with Malaysia")

SLIDE_MALAYSIA = {
    "source": "マレーシアとの都市間連携",
    "city": [
        dict(slug="kuala-lumpur", name_ja="クアラルンプール市", name_en="Kuala Lumpur", country="MY",
             region_ja="クアラルンプール連邦直轄領", region_en="Federal Territory of Kuala Lumpur",
             timezone="Asia/Kuala_Lumpur"),
        dict(slug="penang", name_ja="ペナン市", name_en="Penang", country="MY",
             region_ja="ペナン州", region_en="Penang", timezone="Asia/Kuala_Lumpur"),
        dict(slug="kuching-north", name_ja="クチン北市", name_en="Kuching North", country="MY",
             region_ja="サラワク州", region_en="Sarawak", timezone="Asia/Kuching",
             notes_ja="クチン北市役所（Dewan Bandaraya Kuching Utara）",
             notes_en="Kuching North City Hall (Dewan Bandaraya Kuching Utara)"),
        dict(slug="johor-bahru", name_ja="ジョホールバル", name_en="Johor Bahru", country="MY",
             region_ja="ジョホール州", region_en="Johor", timezone="Asia/Kuala_Lumpur"),
    ],
    "relationship": [
        dict(slug="saitama-kuala-lumpur", city="kuala-lumpur", kind="exchange", status="active",
             **_MALAYSIA_NOTE),
        dict(slug="saitama-penang", city="penang", kind="exchange", status="active", **_MALAYSIA_NOTE),
        dict(slug="saitama-kuching-north", city="kuching-north", kind="exchange", status="active",
             **_MALAYSIA_NOTE),
        dict(slug="saitama-johor-bahru", city="johor-bahru", kind="exchange", status="active",
             **_MALAYSIA_NOTE),
    ],
    "position": [
        # クアラルンプール市長（当時）: the post is known to have ended; the holder is not named.
        dict(slug="mayor-of-kuala-lumpur-then", city="kuala-lumpur", ended=True,
             title_ja="クアラルンプール市長", title_en="Mayor of Kuala Lumpur",
             notes_ja="資料の表記は「クアラルンプール市長（当時）」。氏名は記載なし。",
             notes_en="The source writes \"then Mayor of Kuala Lumpur\"; the name is not given."),
        # The Mayor who visited Saitama: the source does not say whether it is the same person.
        dict(slug="mayor-of-kuala-lumpur", city="kuala-lumpur",
             title_ja="クアラルンプール市長", title_en="Mayor of Kuala Lumpur",
             notes_ja="さいたま市を訪問した市長。氏名、及び市長（当時）と同一人物かは記載なし。",
             notes_en="The Mayor who visited Saitama; the source gives no name and does not say "
                      "whether this is the same person as the then Mayor."),
        dict(slug="mayor-of-penang", city="penang", title_ja="ペナン市長", title_en="Mayor of Penang"),
        dict(slug="mayor-of-kuching-north", city="kuching-north",
             title_ja="クチン北市長", title_en="Mayor of Kuching North"),
    ],
    "event": [
        dict(slug="kuala-lumpur-visit", kind="outbound_visit",
             title_ja="クアラルンプール市の視察及びハイレベルトークス",
             title_en="Site visit to Kuala Lumpur and high-level talks",
             timezone="Asia/Kuala_Lumpur", city="kuala-lumpur", status="held", **_MALAYSIA_NOTE),
        dict(slug="johor-bahru-eco-garden-visit", kind="outbound_visit",
             title_ja="ジョホールバルの新興住宅地（エコガーデン）の視察",
             title_en="Site visit to a new residential area (Eco Garden) in Johor Bahru",
             timezone="Asia/Kuala_Lumpur", city="johor-bahru", status="held", **_MALAYSIA_NOTE),
        dict(slug="malaysian-mayors-visit-saitama", kind="inbound_visit",
             title_ja="クアラルンプール市長、ペナン市長、クチン北市長のさいたま市訪問",
             title_en="Visit to Saitama by the Mayors of Kuala Lumpur, Penang and Kuching North",
             timezone="Asia/Tokyo", city="saitama", status="held", **_MALAYSIA_NOTE),
    ],
    "session": [
        dict(slug="kuala-lumpur-site-visit", event="kuala-lumpur-visit", kind="site_visit",
             title_ja="クアラルンプール市の視察", title_en="Site visit of Kuala Lumpur", status="held"),
        dict(slug="kuala-lumpur-high-level-talks", event="kuala-lumpur-visit", kind="high_level_talks",
             title_ja="ハイレベルトークス", title_en="High-level talks", status="held",
             notes_ja="現地（クアラルンプール）で開催", notes_en="Held on site in Kuala Lumpur"),
        dict(slug="misono-model-block-site-visit", event="malaysian-mayors-visit-saitama",
             kind="site_visit",
             title_ja="さいたま市美園地区の脱炭素モデル街区の視察",
             title_en="Site visit to the decarbonisation model block in the Misono district of "
                      "Saitama City",
             status="held"),
    ],
    "session_participant": [
        # Photo caption: クアラルンプール市長（当時）と さいたま市長
        dict(session="kuala-lumpur-high-level-talks", position="mayor-of-kuala-lumpur-then",
             role="participant"),
        dict(session="kuala-lumpur-high-level-talks", position="mayor-of-saitama", role="participant"),
        # クアラルンプール市長のほか、ペナン市長、クチン北市長がさいたま市を訪問
        dict(session="misono-model-block-site-visit", position="mayor-of-kuala-lumpur",
             role="participant"),
        dict(session="misono-model-block-site-visit", position="mayor-of-penang", role="participant"),
        dict(session="misono-model-block-site-visit", position="mayor-of-kuching-north",
             role="participant"),
    ],
}


# --- Slide 10: 国連気候変動枠組条約第29回締約国会議（COP29） ------------------------------------

SLIDE_COP29 = {
    "source": "国連気候変動枠組条約第29回締約国会議（COP29）",
    "city": [
        dict(slug="baku", name_ja="バクー", name_en="Baku", country="AZ", timezone="Asia/Baku",
             notes_ja="アゼルバイジャン共和国の首都", notes_en="Capital of the Republic of Azerbaijan"),
    ],
    "event": [
        dict(slug="cop29", kind="conference",
             title_ja="国連気候変動枠組条約第29回締約国会議（COP29）",
             title_en="29th Conference of the Parties to the UNFCCC (COP29)",
             start_date="2024-11-11", end_date="2024-11-22",  # 令和６年11月11日～22日
             attend_start="2024-11-11", attend_end="2024-11-13",  # さいたま市参加期間
             timezone="Asia/Baku", city="baku",
             venue_ja="バクーオリンピックスタジアム", venue_en="Baku Olympic Stadium", status="held"),
    ],
    # さいたま市長が登壇した会議等 (the sessions where the Mayor of Saitama spoke); the Japan
    # Pavilion sessions' days and times are not given.
    "session": [
        dict(slug="cop29-press-conference", event="cop29", kind="press_conference",
             title_ja="プレスカンファレンス", title_en="Press conference",
             day="2024-11-11", start="13:00", end="13:30", status="held"),
        dict(slug="e-kizuna-high-level-talks", event="cop29", kind="high_level_talks",
             title_ja="E-KIZUNAハイレベル会議",
             title_en="E-KIZUNA High-Level Talks",
             day="2024-11-12", start="16:30", end="17:30", status="held",
             notes_ja="さいたま市が現地で会議を主催", notes_en="Saitama City hosted the meeting on site"),
        dict(slug="cop29-multilevel-climate-action", event="cop29", kind="other",
             title_ja="マルチレベル気候行動を通じた循環共生型社会の実現に向けた取組",
             title_en="Initiatives towards a circular and symbiotic society through multilevel "
                      "climate action",
             room_ja="ジャパン・パビリオン", room_en="Japan Pavilion", status="held"),
        dict(slug="cop29-clean-city-partnership-seminar", event="cop29", kind="seminar",
             title_ja="クリーン・シティ・パートナーシップ・プログラムセミナー",
             title_en="Clean City Partnership Program seminar",
             room_ja="ジャパン・パビリオン", room_en="Japan Pavilion", status="held"),
    ],
    "session_participant": [
        dict(session="cop29-multilevel-climate-action", position="mayor-of-saitama", role="speaker"),
        dict(session="cop29-clean-city-partnership-seminar", position="mayor-of-saitama",
             role="speaker"),
    ],
}


# --- Slide 11: COP29 プレスカンファレンス ----------------------------------------------------------

SLIDE_COP29_PRESS = {
    "source": "COP29 プレスカンファレンス",
    "city": [
        dict(slug="zagreb", name_ja="ザグレブ市", name_en="Zagreb", country="HR",
             timezone="Europe/Zagreb"),
        dict(slug="niteroi", name_ja="ニテロイ市", name_en="Niterói", country="BR",
             region_ja="リオデジャネイロ州", region_en="Rio de Janeiro", timezone="America/Sao_Paulo"),
    ],
    "organisation": [
        dict(slug="california-natural-resources-agency", name_ja="カリフォルニア州天然資源局",
             name_en="California Natural Resources Agency",
             name_kana="かりふぉるにあしゅうてんねんしげんきょく", kind="government_agency", country="US",
             notes_ja="資料の表記は「米国カルフォルニア州天然資源局」",
             notes_en="The source writes the Japanese name with the variant spelling "
                      "「カルフォルニア」"),
        dict(slug="un-habitat", name_ja="国連人間居住計画（UN-Habitat）",
             name_en="United Nations Human Settlements Programme (UN-Habitat)",
             name_kana="こくれんにんげんきょじゅうけいかく", abbreviation="UN-Habitat", kind="un_body"),
        dict(slug="european-committee-of-the-regions", name_ja="欧州地域委員会",
             name_en="European Committee of the Regions", name_kana="おうしゅうちいきいいんかい",
             kind="other"),
        dict(slug="iclei", name_ja="イクレイ（ICLEI）",
             name_en="ICLEI – Local Governments for Sustainability", abbreviation="ICLEI", kind="ngo"),
    ],
    "network": [
        dict(slug="iclei", name_ja="イクレイ（ICLEI）",
             name_en="ICLEI – Local Governments for Sustainability"),
    ],
    # as_of: the posts are on the programme of 11 November 2024; their holders are not named.
    "position": [
        dict(slug="secretary-california-natural-resources-agency", as_of="2024-11",
             organisation="california-natural-resources-agency",
             title_ja="カリフォルニア州天然資源局長官",
             title_en="Secretary of the California Natural Resources Agency"),
        dict(slug="chief-urban-practices-un-habitat", as_of="2024-11", organisation="un-habitat",
             title_ja="国連人間居住計画（UN-Habitat）都市実践部門長",
             title_en="Chief of the Urban Practices Branch, UN-Habitat"),
        dict(slug="president-zagreb-city-assembly", as_of="2024-11", city="zagreb",
             title_ja="ザグレブ市議会議長", title_en="President of the Zagreb City Assembly"),
        dict(slug="mayor-of-niteroi", city="niteroi", title_ja="ニテロイ市長", title_en="Mayor of Niterói",
             as_of="2024-11"),
        dict(slug="iclei-global-advocacy-director", as_of="2024-11", organisation="iclei",
             title_ja="ICLEIグローバルアドボカシーディレクター", title_en="ICLEI Global Advocacy Director"),
    ],
    "session_participant": [
        # ▮スピーカー｜ in the source's order
        dict(session="cop29-press-conference", position="mayor-of-saitama", role="speaker"),
        dict(session="cop29-press-conference", position="secretary-california-natural-resources-agency",
             role="speaker"),
        dict(session="cop29-press-conference", position="chief-urban-practices-un-habitat",
             role="speaker"),
        dict(session="cop29-press-conference", position="president-zagreb-city-assembly",
             role="speaker",
             capacity_ja="COP29欧州地域委員会代表団メンバー",
             capacity_en="Member of the European Committee of the Regions' delegation to COP29"),
        dict(session="cop29-press-conference", position="mayor-of-niteroi", role="speaker",
             capacity_ja="ICLEIグローバル執行委員会気候行動支援ポートフォリオ議長",
             capacity_en="Chair of the Climate Action Support Portfolio, ICLEI Global Executive "
                         "Committee"),
        dict(session="cop29-press-conference", position="iclei-global-advocacy-director",
             role="speaker"),
    ],
}


# --- Slide 12: COP29 E-KIZUNA High-Level Talks ---------------------------------------------------

SLIDE_COP29_TALKS = {
    "source": "COP29 E-KIZUNA High-Level Talks",
    "city": [
        dict(slug="arezzo", name_ja="アレッツオ市", name_en="Arezzo", country="IT",
             region_ja="トスカーナ州", region_en="Tuscany", timezone="Europe/Rome"),
        dict(slug="autun", name_ja="オータン市", name_en="Autun", country="FR",
             region_ja="ブルゴーニュ＝フランシュ＝コンテ地域圏ソーヌ＝エ＝ロワール県",
             region_en="Bourgogne-Franche-Comté, Saône-et-Loire", timezone="Europe/Paris"),
        dict(slug="blytheville", name_ja="ブライスビル市", name_en="Blytheville", country="US",
             region_ja="アーカンソー州", region_en="Arkansas", timezone="America/Chicago"),
        # ギーセン郡長: the district (Landkreis Gießen), not the town of Gießen.
        dict(slug="giessen", name_ja="ギーセン郡", name_en="Giessen District (Landkreis Gießen)",
             country="DE", region_ja="ヘッセン州", region_en="Hesse", timezone="Europe/Berlin",
             notes_ja="ドイツの郡（Landkreis）", notes_en="A German district (Landkreis)"),
    ],
    "organisation": [
        dict(slug="uk-desnz", name_ja="英国政府エネルギー安全保障・ネットゼロ省",
             name_en="UK Department for Energy Security and Net Zero (DESNZ)",
             name_kana="えいこくせいふえねるぎーあんぜんほしょう・ねっとぜろしょう",
             abbreviation="DESNZ", kind="ministry", country="GB"),
    ],
    # as_of: the posts are on the list of participants of 12 November 2024; holders not named.
    "position": [
        dict(slug="mayor-of-arezzo", city="arezzo", title_ja="アレッツオ市長", title_en="Mayor of Arezzo",
             as_of="2024-11"),
        dict(slug="mayor-of-autun", city="autun", title_ja="オータン市長", title_en="Mayor of Autun",
             as_of="2024-11"),
        dict(slug="mayor-of-blytheville", city="blytheville", as_of="2024-11",
             title_ja="ブライスビル市長", title_en="Mayor of Blytheville"),
        dict(slug="district-administrator-giessen", city="giessen", title_ja="ギーセン郡長",
             title_en="District Administrator (Landrat) of Giessen", as_of="2024-11"),
        dict(slug="deputy-director-uk-desnz", organisation="uk-desnz", as_of="2024-11",
             title_ja="英国政府エネルギー安全保障・ネットゼロ省副局長",
             title_en="Deputy Director, UK Department for Energy Security and Net Zero"),
        dict(slug="chair-iclei-japan", organisation="iclei-japan", as_of="2024-11",
             title_ja="イクレイ日本理事長", title_en="Chair of ICLEI Japan"),
        dict(slug="secretary-general-iclei-japan", organisation="iclei-japan", as_of="2024-11",
             title_ja="イクレイ日本事務局長", title_en="Secretary General of ICLEI Japan"),
    ],
    "organisation_role": [
        # 主催｜さいたま市（協力／イクレイ日本）
        dict(event="cop29", session="e-kizuna-high-level-talks",
             organisation="saitama-city-government", role="host"),
        dict(event="cop29", session="e-kizuna-high-level-talks", organisation="iclei-japan",
             role="cooperation"),
    ],
    "session_participant": [
        # ▮参加者｜ in the source's order
        dict(session="e-kizuna-high-level-talks", position="mayor-of-arezzo", role="participant"),
        dict(session="e-kizuna-high-level-talks", position="mayor-of-autun", role="participant"),
        dict(session="e-kizuna-high-level-talks", position="mayor-of-blytheville", role="participant"),
        dict(session="e-kizuna-high-level-talks", position="district-administrator-giessen",
             role="participant"),
        dict(session="e-kizuna-high-level-talks", position="deputy-director-uk-desnz",
             role="participant"),
        dict(session="e-kizuna-high-level-talks", position="mayor-of-saitama", role="host"),
        dict(session="e-kizuna-high-level-talks", position="chair-iclei-japan", role="participant"),
        dict(session="e-kizuna-high-level-talks", position="secretary-general-iclei-japan",
             role="moderator"),
    ],
}


SLIDES: tuple[dict, ...] = (
    SLIDE_MILESTONES, SLIDE_EMISSIONS, SLIDE_LEADING_AREA, SLIDE_WASTE_POWER, SLIDE_SUMMIT,
    SLIDE_URBAN7_2022, SLIDE_URBAN7_2025, SLIDE_MALAYSIA, SLIDE_COP29, SLIDE_COP29_PRESS,
    SLIDE_COP29_TALKS,
)

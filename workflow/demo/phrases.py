"""The word lists the demo's week of stories is written from: invented towns, officials and six
kinds of local news, each sentence in English with its Russian and Ukrainian translation.

Every sentence is a template with slots: `{place}`, `{name}`, `{role}`, `{said}` and figures
(`{a}`, `{b}`, `{c}`, `{m}`, `{p}`, `{q}`, `{r}`). Figures are multiples of five where a noun
follows them, so Russian and Ukrainian nouns take the same form whatever the figure; numbers
are never spelled in words, so the numbers check compares figures only.
"""

from typing import NamedTuple


class Words(NamedTuple):
    """One thing as each language writes it."""

    en: str
    ru: str
    uk: str


class Official(NamedTuple):
    """Someone a story quotes; `female` chooses the Russian and Ukrainian verb."""

    name: Words
    female: bool


class Topic(NamedTuple):
    """One kind of story: its section, who speaks, its headline and body paragraphs, and the
    figure a correction changes (`corrected`) with the range figures are drawn from."""

    section: str
    role: Words
    headline: Words
    paragraphs: tuple[Words, ...]
    figures: dict[str, tuple[int, int, int]]  # slot -> (low, high, step)
    corrected: str


PLACES = (
    Words("Northbridge", "Нортбридж", "Нортбрідж"),
    Words("Eastmere", "Истмир", "Істмір"),
    Words("Carrow Vale", "Кэрроу-Вейл", "Керроу-Вейл"),
    Words("Harlow Point", "Харлоу-Пойнт", "Харлоу-Пойнт"),
    Words("Westford", "Уэстфорд", "Вестфорд"),
    Words("Linden Cross", "Линден-Кросс", "Лінден-Кросс"),
    Words("Greyhaven", "Грейхейвен", "Грейгейвен"),
)

OFFICIALS = (
    Official(Words("Mara Ellison", "Мара Эллисон", "Мара Еллісон"), female=True),
    Official(Words("Owen Darrow", "Оуэн Дэрроу", "Оуен Дарроу"), female=False),
    Official(Words("Priya Castell", "Прия Кастелл", "Прія Кастелл"), female=True),
    Official(Words("Jonah Whitlock", "Джона Уитлок", "Джона Вітлок"), female=False),
    Official(Words("Lena Varga", "Лена Варга", "Лена Варга"), female=True),
    Official(Words("Tobias Reyne", "Тобиас Рейн", "Тобіас Рейн"), female=False),
)

SAID = {False: Words("said", "заявил", "заявив"), True: Words("said", "заявила", "заявила")}

# Comments an editor leaves when a paragraph or a version goes back to the translator.
SEND_BACK_COMMENTS = (
    "The figure here does not match the English: check it against the source.",
    "Please check this number again before I approve.",
)
REQUEST_CHANGES_COMMENTS = (
    "The quote reads stiffly: please make it sound like speech, then resubmit.",
    "Please keep the official's title as the English gives it, then resubmit.",
)

TOPICS = (
    Topic(
        section="Transport",
        role=Words(
            "the council's transport chief",
            "глава транспортного управления совета",
            "керівник транспортного управління ради",
        ),
        headline=Words(
            "{place} to run {a} night buses from next month",
            "В городе {place} со следующего месяца будут ходить {a} ночных автобусов",
            "У місті {place} з наступного місяця курсуватимуть {a} нічних автобусів",
        ),
        paragraphs=(
            Words(
                "The council in {place} approved a plan to put {a} buses on night routes, up "
                "from {b} last winter, after complaints from shift workers and hospital staff.",
                "Совет города {place} утвердил план, по которому на ночные маршруты выйдут {a} "
                "автобусов, тогда как прошлой зимой их было {b}, после жалоб работников ночных "
                "смен и сотрудников больниц.",
                "Рада міста {place} затвердила план, за яким на нічні маршрути вийдуть {a} "
                "автобусів, тоді як минулої зими їх було {b}, після скарг працівників нічних "
                "змін і персоналу лікарень.",
            ),
            Words(
                "The extra service will cost about {m} million pounds a year, to be paid from "
                "parking fees, the council said.",
                "Дополнительные рейсы обойдутся примерно в {m} млн фунтов в год, которые "
                "покроют за счёт платы за парковку, сообщили в совете.",
                "Додаткові рейси коштуватимуть близько {m} млн фунтів на рік, які покриють за "
                "рахунок плати за паркування, повідомили в раді.",
            ),
            Words(
                '"People who keep the city running at night deserve a bus home," said {name}, '
                "{role}.",
                "«Люди, благодаря которым город работает ночью, заслуживают автобуса домой», — "
                "{said} {role} {name}.",
                "«Люди, завдяки яким місто працює вночі, заслуговують на автобус додому», — "
                "{said} {role} {name}.",
            ),
            Words(
                "Passenger numbers on the existing night routes rose by {p}% over the past "
                "year, according to the operator.",
                "По данным перевозчика, число пассажиров на нынешних ночных маршрутах за "
                "последний год выросло на {p}%.",
                "За даними перевізника, кількість пасажирів на нинішніх нічних маршрутах за "
                "останній рік зросла на {p}%.",
            ),
        ),
        figures={"a": (20, 60, 5), "b": (5, 15, 5), "m": (2, 9, 1), "p": (6, 38, 1)},
        corrected="a",
    ),
    Topic(
        section="Weather",
        role=Words(
            "head of the regional emergency service",
            "глава региональной службы спасения",
            "керівник регіональної рятувальної служби",
        ),
        headline=Words(
            "River in {place} rises {c} centimetres overnight",
            "Река в городе {place} за ночь поднялась на {c} сантиметров",
            "Річка в місті {place} за ніч піднялася на {c} сантиметрів",
        ),
        paragraphs=(
            Words(
                "Emergency crews moved {a} residents from homes near the river in {place} after "
                "heavy rain raised the water level by {c} centimetres overnight.",
                "Спасатели переселили {a} жителей из домов у реки в городе {place} после того, "
                "как из-за сильного дождя уровень воды за ночь поднялся на {c} сантиметров.",
                "Рятувальники переселили {a} мешканців із будинків біля річки в місті {place} "
                "після того, як через сильний дощ рівень води за ніч піднявся на {c} "
                "сантиметрів.",
            ),
            Words(
                "Forecasters expect another {r} millimetres of rain before the weekend.",
                "Синоптики ожидают ещё {r} миллиметров осадков до выходных.",
                "Синоптики очікують ще {r} міліметрів опадів до вихідних.",
            ),
            Words(
                '"We would rather move people early than rescue them late," said {name}, {role}.',
                "«Лучше переселить людей заранее, чем спасать их слишком поздно», — {said} "
                "{role} {name}.",
                "«Краще переселити людей заздалегідь, ніж рятувати їх надто пізно», — {said} "
                "{role} {name}.",
            ),
            Words(
                "Schools in {b} villages along the river will stay closed until the water falls.",
                "Школы в {b} сёлах вдоль реки останутся закрытыми, пока вода не спадёт.",
                "Школи в {b} селах уздовж річки залишаться зачиненими, доки вода не спаде.",
            ),
        ),
        figures={"a": (100, 900, 10), "b": (5, 20, 5), "c": (40, 150, 5), "r": (20, 80, 5)},
        corrected="a",
    ),
    Topic(
        section="Health",
        role=Words("the hospital's chief executive", "главный врач больницы", "головний лікар"),
        headline=Words(
            "{place} hospital cuts its waiting list by {p}%",
            "Больница города {place} сократила очередь на {p}%",
            "Лікарня міста {place} скоротила чергу на {p}%",
        ),
        paragraphs=(
            Words(
                "The main hospital in {place} has cut its waiting list for planned operations "
                "by {p}% since spring, to {a} patients.",
                "Главная больница города {place} с весны сократила очередь на плановые операции "
                "на {p}%, до {a} пациентов.",
                "Головна лікарня міста {place} з весни скоротила чергу на планові операції на "
                "{p}%, до {a} пацієнтів.",
            ),
            Words(
                "Surgeons now operate at weekends in {b} of its theatres, the hospital said.",
                "Теперь хирурги оперируют по выходным в {b} операционных, сообщили в больнице.",
                "Тепер хірурги оперують у вихідні в {b} операційних, повідомили в лікарні.",
            ),
            Words(
                '"The queue is shorter, but it is not short enough," said {name}, {role}.',
                "«Очередь стала короче, но недостаточно», — {said} {role} {name}.",
                "«Черга стала коротшою, але недостатньо», — {said} {role} {name}.",
            ),
            Words(
                "The hospital plans to hire {c} more nurses by the end of the year.",
                "До конца года больница планирует нанять ещё {c} медсестёр.",
                "До кінця року лікарня планує найняти ще {c} медсестер.",
            ),
        ),
        figures={"a": (1200, 4800, 10), "b": (5, 15, 5), "c": (20, 90, 5), "p": (8, 31, 1)},
        corrected="a",
    ),
    Topic(
        section="Energy",
        role=Words("the project's director", "директор проекта", "директор проєкту"),
        headline=Words(
            "Wind farm off {place} to power {a} homes",
            "Ветряная электростанция у побережья города {place} обеспечит энергией {a} домов",
            "Вітрова електростанція біля узбережжя міста {place} забезпечить енергією {a} будинків",
        ),
        paragraphs=(
            Words(
                "Construction of a wind farm off the coast of {place} will begin in spring, "
                "with {b} turbines expected to power about {a} homes.",
                "Строительство ветряной электростанции у побережья города {place} начнётся "
                "весной: ожидается, что {b} турбин обеспечат энергией около {a} домов.",
                "Будівництво вітрової електростанції біля узбережжя міста {place} почнеться "
                "навесні: очікується, що {b} турбін забезпечать енергією близько {a} будинків.",
            ),
            Words(
                "The project is expected to cost {m} million pounds and create {c} local jobs.",
                "Ожидается, что проект обойдётся в {m} млн фунтов и создаст {c} рабочих мест в "
                "регионе.",
                "Очікується, що проєкт коштуватиме {m} млн фунтів і створить {c} робочих місць "
                "у регіоні.",
            ),
            Words(
                '"This is the largest investment the coast has seen in a generation," said '
                "{name}, {role}.",
                "«Это крупнейшие инвестиции на побережье за целое поколение», — {said} {role} "
                "{name}.",
                "«Це найбільші інвестиції на узбережжі за ціле покоління», — {said} {role} {name}.",
            ),
            Words(
                "Fishing groups asked for {r} kilometres of open water to be kept clear of "
                "turbines.",
                "Рыболовецкие объединения попросили оставить свободными от турбин {r} "
                "километров открытой воды.",
                "Рибальські об'єднання попросили залишити вільними від турбін {r} кілометрів "
                "відкритої води.",
            ),
        ),
        figures={
            "a": (20000, 90000, 500),
            "b": (25, 80, 5),
            "c": (100, 400, 10),
            "m": (150, 600, 10),
            "r": (10, 40, 5),
        },
        corrected="a",
    ),
    Topic(
        section="Education",
        role=Words(
            "the council's education lead",
            "руководитель отдела образования совета",
            "керівник відділу освіти ради",
        ),
        headline=Words(
            "{place} sets aside {m} million pounds to repair school roofs",
            "Город {place} выделяет {m} млн фунтов на ремонт школьных крыш",
            "Місто {place} виділяє {m} млн фунтів на ремонт шкільних дахів",
        ),
        paragraphs=(
            Words(
                "The council in {place} will spend {m} million pounds by the end of next year "
                "repairing the roofs of {b} schools, after inspectors found leaks in classrooms.",
                "Совет города {place} до конца следующего года потратит {m} млн фунтов на "
                "ремонт крыш {b} школ после того, как инспекторы обнаружили протечки в классах.",
                "Рада міста {place} до кінця наступного року витратить {m} млн фунтів на ремонт "
                "дахів {b} шкіл після того, як інспектори виявили протікання в класах.",
            ),
            Words(
                "About {a} pupils study in the buildings that need the most urgent work.",
                "В зданиях, которым ремонт нужен срочнее всего, учатся около {a} школьников.",
                "У будівлях, яким ремонт потрібен найтерміновіше, навчаються близько {a} школярів.",
            ),
            Words(
                '"No child should sit under a bucket catching rain," said {name}, {role}.',
                "«Ни один ребёнок не должен сидеть под ведром, в которое капает дождь», — "
                "{said} {role} {name}.",
                "«Жодна дитина не повинна сидіти під відром, у яке капає дощ», — {said} {role} "
                "{name}.",
            ),
            Words(
                "Work on the first {c} schools will start during the winter holidays.",
                "Работы в первых {c} школах начнутся во время зимних каникул.",
                "Роботи в перших {c} школах почнуться під час зимових канікул.",
            ),
        ),
        figures={"a": (900, 6000, 50), "b": (15, 60, 5), "c": (5, 15, 5), "m": (3, 19, 1)},
        corrected="a",
    ),
    Topic(
        section="Economy",
        role=Words(
            "chair of the local bakers' association",
            "председатель местной ассоциации пекарей",
            "голова місцевої асоціації пекарів",
        ),
        headline=Words(
            "Bread in {place} costs {p}% more than a year ago",
            "Хлеб в городе {place} за год подорожал на {p}%",
            "Хліб у місті {place} за рік подорожчав на {p}%",
        ),
        paragraphs=(
            Words(
                "The price of a loaf in {place} has risen by {p}% in a year, according to a "
                "survey of {a} shops by the local chamber of commerce.",
                "Цена буханки хлеба в городе {place} за год выросла на {p}%, показал опрос {a} "
                "магазинов, проведённый местной торговой палатой.",
                "Ціна буханця хліба в місті {place} за рік зросла на {p}%, показало опитування "
                "{a} магазинів, проведене місцевою торговою палатою.",
            ),
            Words(
                "Bakers blame energy bills, which they say have risen by {q}% since last autumn.",
                "Пекари винят счета за энергию, которые, по их словам, с прошлой осени выросли "
                "на {q}%.",
                "Пекарі звинувачують рахунки за енергію, які, за їхніми словами, з минулої осені "
                "зросли на {q}%.",
            ),
            Words(
                '"We cannot heat ovens for free, and nobody will bake without them," said '
                "{name}, {role}.",
                "«Топить печи бесплатно мы не можем, а без них никто печь не будет», — {said} "
                "{role} {name}.",
                "«Топити печі безкоштовно ми не можемо, а без них ніхто пекти не буде», — "
                "{said} {role} {name}.",
            ),
            Words(
                "The chamber expects {b} small bakeries to close by spring unless costs fall.",
                "Палата ожидает, что к весне закроются {b} небольших пекарен, если расходы не "
                "снизятся.",
                "Палата очікує, що до весни закриються {b} невеликих пекарень, якщо витрати не "
                "знизяться.",
            ),
        ),
        figures={"a": (40, 200, 5), "b": (10, 30, 5), "p": (7, 24, 1), "q": (25, 70, 1)},
        corrected="a",
    ),
)

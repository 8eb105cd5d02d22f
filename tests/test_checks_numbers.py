"""The `numbers` check over tables of good and bad (English, translation, lang) pairs: weekdays
and months by value, magnitude words, numbers spelled in words in every form; and properties
that it never raises, whatever the text."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workflow.checks import Pair, Severity, run_checks
from workflow.checks.calendar import months, weekdays
from workflow.checks.number_words import (
    counted_numbers,
    magnitude_words_alone,
    scale_of,
    word_numbers,
)
from workflow.checks.numbers import NumbersCheck, figures
from workflow.checks.words import WORD, lookup_key, normalise


def numbers_flag(source: str, target: str, lang: str) -> str | None:
    return NumbersCheck().check(Pair(source, target, lang))


WED = "The talks resumed on Wednesday."
NOV = "Prices rose in November."
SUMMIT = "The summit opens Wed, Nov. 3."
WAR = "The war began on Feb. 24, 2022."
SINCE_MONDAY = "The ceasefire has held since Monday."
SUNDAY_VOTE = "Sunday's election was calm."
CLOSED_SUNDAYS = "Markets are closed on Sundays."
FRIDAY_MARCH = "Talks ended on Friday, March 3."

CALENDAR_GOOD = [
    (WED, "Переговоры возобновились в среду.", "ru"),
    (WED, "Переговори відновилися в середу.", "uk"),
    ("The vote is on Monday.", "Голосование пройдёт в понедельник.", "ru"),
    ("The vote is on Monday.", "Голосування відбудеться у понеділок.", "uk"),
    (SINCE_MONDAY, "Перемирие соблюдается с понедельника.", "ru"),
    (SINCE_MONDAY, "Перемир'я триває з понеділка.", "uk"),
    (CLOSED_SUNDAYS, "По воскресеньям рынки закрыты.", "ru"),
    (CLOSED_SUNDAYS, "Щонеділі ринки зачинені.", "uk"),
    (SUNDAY_VOTE, "Воскресные выборы прошли спокойно.", "ru"),
    (SUNDAY_VOTE, "Недільні вибори минули спокійно.", "uk"),
    (SUMMIT, "Саммит откроется в среду, 3 ноября.", "ru"),
    (SUMMIT, "Саміт відкриється в середу, 3 листопада.", "uk"),
    (NOV, "Цены выросли в ноябре.", "ru"),
    (NOV, "Ціни зросли в листопаді.", "uk"),
    ("The law takes effect in February.", "Закон набуде чинності в лютому.", "uk"),
    ("February was warm.", "Лютий видався теплим.", "uk"),
    (WAR, "Война началась 24 февраля 2022 года.", "ru"),
    (WAR, "Війна почалася 24 лютого 2022 року.", "uk"),
    ("Theresa May resigned in May 2019.", "Тереза Мэй ушла в отставку в мае 2019 года.", "ru"),
    ("Theresa May spoke on Friday.", "Тереза Мей виступила в п’ятницю.", "uk"),
    ("Kyiv, Jan. 25, 2022", "Київ, 25 січня 2022 року", "uk"),
    ("Emissions rose on Thursday.", "В четверг выбросы в окружающую среду выросли.", "ru"),
    ("The border stays closed until Wednesday.", "До среды граница остаётся закрытой.", "ru"),
    ("The border stays closed until Wednesday.", "До середи кордон залишається закритим.", "uk"),
    ("Since 9/11, security has changed.", "После 11 сентября меры изменились.", "ru"),
    ("Black Friday sales fell.", "Продажи в «черную пятницу» упали.", "ru"),
    ("The Sunday Times reported it on Monday.", "Об этом в понедельник сообщила The Sunday Times.",
     "ru"),
    ("The meeting is on Tuesday and Wednesday.", "Встреча пройдёт во вторник и среду.", "ru"),
    ("The meeting is on Tuesday and Wednesday.", "Зустріч відбудеться у вівторок і середу.", "uk"),
    ("Inflation in March was 5%.", "Інфляція в березні становила 5%.", "uk"),
    ("The march on Saturday drew crowds.", "Марш в субботу собрал толпы.", "ru"),
    (FRIDAY_MARCH, "Переговоры завершились в пятницу, 3 марта.", "ru"),
    (FRIDAY_MARCH, "Переговори завершилися в п'ятницю, 3 березня.", "uk"),
    ("The January elections were won by Marta.", "Январские выборы выиграла Марта.", "ru"),
    ("He fell on Tuesday.", "Він упав у вівторок.", "uk"),
    ("The Sept. 12 vote", "Голосування 12 вересня", "uk"),
    ("Prices fell in the first quarter.", "Ціни впали в першому кварталі.", "uk"),
    # A Ukrainian apostrophe typed as ‘.
    ("On Friday, 5 people died.", "У п‘ятницю загинули 5 людей.", "uk"),
]  # fmt: skip

CALENDAR_BAD = [
    (WED, "Переговоры возобновились в четверг.", "ru"),  # a different weekday
    (WED, "Переговори відновилися в четвер.", "uk"),
    (WED, "Переговоры возобновились.", "ru"),  # a weekday dropped
    (WED, "Переговори відновилися.", "uk"),
    (NOV, "Цены выросли в октябре.", "ru"),
    (NOV, "Ціни зросли в жовтні.", "uk"),
    (NOV, "Цены выросли.", "ru"),
    (SUMMIT, "Саммит откроется в четверг, 3 ноября.", "ru"),
    (SUMMIT, "Саміт відкриється в середу, 3 грудня.", "uk"),
    (WAR, "Война началась 24 марта 2022 года.", "ru"),
    (WAR, "Війна почалася 24 березня 2022 року.", "uk"),
    (SINCE_MONDAY, "Перемирие соблюдается со вторника.", "ru"),
    (SINCE_MONDAY, "Перемир'я триває з неділі.", "uk"),
    (SUNDAY_VOTE, "Субботние выборы прошли спокойно.", "ru"),
    (SUNDAY_VOTE, "Суботні вибори минули спокійно.", "uk"),
    (CLOSED_SUNDAYS, "Щосуботи ринки зачинені.", "uk"),
    ("The vote is on Monday and Tuesday.", "Голосование пройдёт в понедельник и среду.", "ru"),
    (FRIDAY_MARCH, "Переговоры завершились в четверг, 3 марта.", "ru"),
    (FRIDAY_MARCH, "Переговори завершилися в п’ятницю, 3 квітня.", "uk"),
    ("The law takes effect in February.", "Закон набуде чинності в січні.", "uk"),
    # A month stands for its number only for a 9/11-style date, not for any figure.
    ("On March 5, 3 people were hurt.", "5 марта пострадали люди.", "ru"),
    ("In September, 9 people died.", "В сентябре погибли люди.", "ru"),
]

DEAL = "The deal is worth $500 million."
DEBT = "Debt reached $2.3 trillion."
FUND = "The fund holds $1.2 trillion."
LOSSES = "Losses reached $3.5bn."
HALF = "Half a million people fled."
MILLIONS = "Millions of people lost power."
ONE_AND_A_HALF = "1.5 million people signed."

MAGNITUDES_GOOD = [
    (DEAL, "Сделка стоит 500 млн долларов.", "ru"),
    (DEAL, "Угода коштує 500 мільйонів доларів.", "uk"),
    (DEAL, "Угода коштує пів мільярда доларів.", "uk"),
    (DEAL, "Сделка стоит полмиллиарда долларов.", "ru"),
    (FUND, "Фонд управляет 1,2 трлн долларов.", "ru"),
    (FUND, "Фонд управляє 1,2 трильйона доларів.", "uk"),
    (LOSSES, "Убытки достигли 3,5 млрд долларов.", "ru"),
    (LOSSES, "Збитки сягнули 3,5 мільярда доларів.", "uk"),
    ("The club paid £80m for him.", "Клуб заплатив за нього 80 млн фунтів.", "uk"),
    (HALF, "Полмиллиона человек бежали.", "ru"),
    (HALF, "Півмільйона людей втекли.", "uk"),
    (ONE_AND_A_HALF, "Подписались полтора миллиона человек.", "ru"),
    (ONE_AND_A_HALF, "Підписалися півтора мільйона людей.", "uk"),
    (MILLIONS, "Миллионы людей остались без света.", "ru"),
    (MILLIONS, "Мільйони людей залишилися без світла.", "uk"),
    ("Thousands of people protested.", "Тысячи людей вышли на протест.", "ru"),
    ("Thousands of people protested.", "Тисячі людей протестували.", "uk"),
    ("The debt is $2 billion.", "Долг составляет 2 000 000 000 долларов.", "ru"),
    ("More than 50 million people voted.", "Проголосовали более 50-ти миллионов человек.", "ru"),
    ("The budget is 3 billion hryvnias.", "Бюджет становить 3 мільярди гривень.", "uk"),
    ("Sales reached 2.5 million units.", "Продажи достигли двух с половиной миллионов штук.",
     "ru"),
    ("Two million people left.", "Уехали 2 млн человек.", "ru"),
    ("Hundreds of billions of dollars", "Сотни миллиардов долларов", "ru"),
    ("Hundreds of billions of dollars", "Сотні мільярдів доларів", "uk"),
    ("About 40 thousand tonnes", "Близько 40 тис. тонн", "uk"),
    ("About 40,000 tonnes", "Около 40 тысяч тонн", "ru"),
    ("A millennium ago, a thousand years", "Тысячелетие назад", "ru"),
    ("A quarter of a million people fled.", "Бежали 250 тысяч человек.", "ru"),
    ("A quarter of a million people fled.", "Втекли чверть мільйона людей.", "uk"),
    ("A billion-dollar deal was signed.", "Подписана миллиардная сделка.", "ru"),
    ("Damage is $3 billion to $4 billion.", "Ущерб составляет 3–4 млрд долларов.", "ru"),
    ("Damage is 3-4 billion dollars.", "Збитки становлять від 3 до 4 млрд доларів.", "uk"),
    ("Between 5 and 10 million people left.", "Уехали от 5 до 10 млн человек.", "ru"),
    ("Millions of viewers watched.", "Трансляцию смотрела многомиллионная аудитория.", "ru"),
    ("Thousands of people marched.", "Пройшла багатотисячна хода.", "uk"),
    ("Revenue hit $2.5 bln.", "Выручка достигла 2,5 млрд долларов.", "ru"),
]  # fmt: skip

MAGNITUDES_BAD = [
    (DEAL, "Угода коштує 500 доларів.", "uk"),  # the magnitude dropped
    (DEAL, "Сделка стоит 500 долларов.", "ru"),
    (DEBT, "Долг достиг 2,3 млрд долларов.", "ru"),  # trillion read as billion
    (DEBT, "Борг сягнув 2,3 млрд доларів.", "uk"),
    (LOSSES, "Убытки достигли 3,5 млн долларов.", "ru"),
    (FUND, "Фонд управляет 1,2 миллиардами долларов.", "ru"),
    (FUND, "Фонд управляє 1,2 мільярдами доларів.", "uk"),
    (MILLIONS, "Тысячи людей остались без света.", "ru"),
    (MILLIONS, "Тисячі людей залишилися без світла.", "uk"),
    ("Billions of dollars were lost.", "Було втрачено мільйони доларів.", "uk"),
    (ONE_AND_A_HALF, "Підписалися півтори тисячі людей.", "uk"),
    ("500 troops arrived.", "Прибыли 500 тыс. военных.", "ru"),  # a magnitude added
    ("The club paid £80m for him.", "Клуб заплатив за нього 80 фунтів.", "uk"),
    ("A quarter of a million people fled.", "Бежали четверть миллиарда человек.", "ru"),
    ("Damage is $3 billion to $4 billion.", "Ущерб составляет 3–4 млн долларов.", "ru"),
]

CLOCK_GOOD = [
    ("Polls close at 8 p.m.", "Участки закрываются в 20:00.", "ru"),
    ("Polls close at 8 p.m.", "Дільниці зачиняються о 8 вечора.", "uk"),
    ("Polls open at 8 a.m.", "Участки открываются в 8:00.", "ru"),
]
CLOCK_BAD = [
    ("Polls close at 8 p.m.", "Участки закрываются в 8:00.", "ru"),  # morning for evening
    ("Polls close at 8 p.m.", "Дільниці зачиняються о 8:00.", "uk"),
]

KILLED = "5 people were killed."
WOUNDED = "2 soldiers were wounded."
DETAINED = "3 suspects were detained."
REGIONS = "Strikes hit 5 regions."
ROUND = "He lost in the 5th round."

NUMBER_WORDS_GOOD = [
    ("The two sides agreed to talk again.", "Стороны договорились продолжить переговоры.", "ru"),
    ("The two leaders met on Friday.", "Обидва лідери зустрілися в п'ятницю.", "uk"),
    (KILLED, "Погибли пятеро человек.", "ru"),
    (KILLED, "Загинули п'ятеро людей.", "uk"),
    (KILLED, "Загинули п’ятеро людей.", "uk"),
    (WOUNDED, "Двое военных были ранены.", "ru"),
    (WOUNDED, "Двоє військових було поранено.", "uk"),
    (DETAINED, "Трое подозреваемых задержаны.", "ru"),
    (DETAINED, "Троє підозрюваних затримано.", "uk"),
    ("4 children were rescued.", "Четверо детей спасены.", "ru"),
    ("7 people were hurt.", "Семеро людей постраждали.", "uk"),
    ("The 2 companies merged.", "Обе компании объединились.", "ru"),
    ("The 2 companies merged.", "Обидві компанії об'єдналися.", "uk"),
    ("He spoke to the 2 leaders.", "Он поговорил с обоими лидерами.", "ru"),
    (REGIONS, "Удары пришлись по пяти регионам.", "ru"),
    (REGIONS, "Удари влучили у п'ять областей.", "uk"),
    ("He met 5 partners.", "Он встретился с пятью партнёрами.", "ru"),
    ("3 of the 40 deputies voted.", "Проголосовали трое из сорока депутатов.", "ru"),
    ("3 of the 40 deputies voted.", "Проголосували троє із сорока депутатів.", "uk"),
    ("Shops in 3 cities closed.", "Магазини у трьох містах зачинилися.", "uk"),
    ("Aid went to 2 countries.", "Помощь получили двум странам.", "ru"),
    ("Aid went to 2 countries.", "Допомогу надали двом країнам.", "uk"),
    (ROUND, "Он проиграл в пятом раунде.", "ru"),
    (ROUND, "Він програв у п'ятому раунді.", "uk"),
    ("It was the 21st day.", "Это был двадцать первый день.", "ru"),
    ("It was the 21st day.", "Це був двадцять перший день.", "uk"),
    ("25 people were hurt.", "Пострадали двадцать пять человек.", "ru"),
    ("He helped 25 people.", "Він допоміг двадцяти п'яти особам.", "uk"),
    ("About 150 people came.", "Пришли около ста пятидесяти человек.", "ru"),
    ("He got a 10-year sentence.", "Он получил десятилетний срок.", "ru"),
    ("He got a 10-year sentence.", "Він отримав десятирічний термін.", "uk"),
    ("A 3-day visit began.", "Начался трёхдневный визит.", "ru"),
    ("A 3-day visit began.", "Розпочався триденний візит.", "uk"),
    ("About 200 troops left.", "Ушли около двухсот военных.", "ru"),
    ("About 200 troops left.", "Пішли близько двохсот військових.", "uk"),
    ("1,000 people came.", "Пришла тысяча человек.", "ru"),
    ("He paid 2,000 hryvnias.", "Він заплатив дві тисячі гривень.", "uk"),
    ("More than 2,000 people", "Более двух тысяч человек", "ru"),
    ("Sales doubled.", "Продажі зросли у 2 рази.", "uk"),
    ("Seven people died.", "Погибли 7 человек.", "ru"),
    ("Forty-two people died.", "Загинули 42 людини.", "uk"),
    ("Two hundred troops left.", "Ушли 200 военных.", "ru"),
    ("Three thousand troops left.", "Пішли 3000 військових.", "uk"),
    ("It was the fifth time.", "Это случилось в 5-й раз.", "ru"),
    ("He served a decade in prison.", "Он провёл 10 лет в тюрьме.", "ru"),
    ("The rally starts at noon.", "Митинг начнётся в 12:00.", "ru"),
    ("The curfew starts at 10 p.m.", "Комендантский час начинается в десять вечера.", "ru"),
    ("They were 5.", "Их было пять.", "ru"),
    ("9 of the 10 judges agreed.", "Дев’ятеро з десяти суддів погодилися.", "uk"),
    ("The 2nd round is on May 5.", "Второй тур пройдёт 5 мая.", "ru"),
    # A number spelled on both sides, or dropped in an idiom.
    ("Two of the three suspects were released.", "Двое из трёх подозреваемых освобождены.", "ru"),
    ("Four of the five judges agreed.", "Четверо з п'яти суддів погодилися.", "uk"),
    ("The Big Three met.", "Большая тройка встретилась.", "ru"),
    ("Ten years later the case was reopened.", "Через десятилетие дело возобновили.", "ru"),
    ("He backed a two-state solution.", "Він підтримав дводержавне рішення.", "uk"),
    ("It is the second-largest bank.", "Это второй по величине банк.", "ru"),
    ("At one point the talks stalled.", "В какой-то момент переговоры зашли в тупик.", "ru"),
    ("He was one of the first to leave.", "Он одним из первых уехал.", "ru"),
    ("The Group of Seven met.", "«Большая семёрка» встретилась.", "ru"),
    ("Two of the three suspects were released.", "Двоих из трёх подозреваемых отпустили.", "ru"),
    ("5-6 people were hurt.", "Пострадали пять-шесть человек.", "ru"),
    ("5 people died.", "Загинули п‘ятеро людей.", "uk"),
    ("The 21st century began.", "ХХІ століття почалося.", "uk"),  # Cyrillic Х and І
    ("Exports reached 5.5 million tonnes.", "Экспорт достиг 5 с половиной миллионов тонн.", "ru"),
    ("A 3,000-strong force arrived.", "Прибыл трёхтысячный контингент.", "ru"),
]  # fmt: skip

NUMBER_WORDS_BAD = [
    (KILLED, "Погибли шестеро человек.", "ru"),
    (KILLED, "Загинули шестеро людей.", "uk"),
    (DETAINED, "Двое подозреваемых задержаны.", "ru"),
    (REGIONS, "Удары пришлись по шести регионам.", "ru"),
    (ROUND, "Він програв у шостому раунді.", "uk"),
    ("25 people were hurt.", "Пострадали двадцать шесть человек.", "ru"),
    ("Seven people died.", "Погибли 8 человек.", "ru"),
    ("He got a 10-year sentence.", "Он получил семилетний срок.", "ru"),
    ("About 200 troops left.", "Ушли около трёхсот военных.", "ru"),
    ("About 200 troops left.", "Пішли близько трьохсот військових.", "uk"),
    ("They were 5.", "Их было шесть.", "ru"),
    ("Three ships arrived.", "Прибыли пять кораблей.", "ru"),  # spelled on both sides
    ("Two soldiers were wounded.", "Поранено трьох військових.", "uk"),
    ("It was the third round.", "Это был пятый раунд.", "ru"),
    ("Twenty-two people died.", "Загинули двадцять три людини.", "uk"),
    # A figure changed into a longer spelled number: only the whole number counts.
    ("40 people came.", "Пришли сорок два человека.", "ru"),
    ("100 people came.", "Пришли сто пятьдесят человек.", "ru"),
    ("1,000 people came.", "Пришла тысяча двести человек.", "ru"),
    ("The 20 people left.", "Двадцать пять человек ушли.", "ru"),
    ("Twenty people left.", "Двадцать пять человек ушли.", "ru"),
    # A spelled number counting a noun, dropped.
    ("Five people died.", "Погибли люди.", "ru"),
    ("Twelve soldiers were wounded.", "Были ранены солдаты.", "ru"),
    ("Three British soldiers were wounded.", "Були поранені британські військові.", "uk"),
]

# News sentences mixing the above: nights named by the day they end in («в ночь с пятницы на
# субботу»), the environment («окружающей среды»), "among" («серед»), "fierce" («люті бої»),
# Black Friday, Theresa May, metres and millions.
NEWS_GOOD = [
    (
        "On Monday, President Zelensky met the 27 EU leaders.",
        "В понедельник президент Зеленский встретился с лидерами 27 стран ЕС.",
        "ru",
    ),
    ("Voting runs from Friday to Sunday.", "Голосование продлится с пятницы по воскресенье.", "ru"),
    ("Voting runs from Friday to Sunday.", "Голосування триватиме з п'ятниці до неділі.", "uk"),
    ("The strike is planned for mid-March.", "Забастовка запланирована на середину марта.", "ru"),
    ("The strike is planned for mid-March.", "Страйк заплановано на середину березня.", "uk"),
    ("Two people were killed and a dozen injured.", "Двое погибли, ещё 12 ранены.", "ru"),
    (
        "Since February 2022, more than 6 million Ukrainians have fled abroad.",
        "С февраля 2022 года более 6 млн украинцев выехали за границу.",
        "ru",
    ),
    (
        "Since February 2022, more than 6 million Ukrainians have fled abroad.",
        "З лютого 2022 року понад 6 млн українців виїхали за кордон.",
        "uk",
    ),
    ("The tournament runs until July 14.", "Турнир продлится до 14 июля.", "ru"),
    (
        "Parliament will vote on the budget next Thursday.",
        "Парламент проголосует за бюджет в следующий четверг.",
        "ru",
    ),
    (
        "Environment ministers meet on Wednesday.",
        "Министры окружающей среды встретятся в среду.",
        "ru",
    ),
    ("Environment ministers meet on Wednesday.", "Міністри довкілля зустрінуться в середу.", "uk"),
    ("On Friday the victims included 3 children.", "У п'ятницю серед загиблих — троє дітей.", "uk"),
    ("On Friday the victims included 3 children.", "У п'ятницю серед 3 загиблих діти.", "uk"),
    (
        "Russia fired 40 missiles overnight into Saturday.",
        "В ночь на субботу Россия выпустила 40 ракет.",
        "ru",
    ),
    (
        "Russia fired 40 missiles overnight into Saturday.",
        "В ночь с пятницы на субботу Россия выпустила 40 ракет.",
        "ru",
    ),
    (
        "Russia fired 40 missiles on Friday night.",
        "У ніч на суботу Росія випустила 40 ракет.",
        "uk",
    ),
    ("Sales on Black Friday rose 5%.", "Продажи в Черную пятницу выросли на 5%.", "ru"),
    (
        "The talks, held in Geneva on Jan. 10, were the first since 2021.",
        "Переговоры в Женеве 10 января стали первыми с 2021 года.",
        "ru",
    ),
    ("A one-day strike began.", "Началась однодневная забастовка.", "ru"),
    (
        "Thousands of people gathered on the Maidan on Sunday.",
        "В воскресенье тысячи людей собрались на Майдане.",
        "ru",
    ),
    ("Tens of thousands marched in March.", "В марте прошли марши десятков тысяч людей.", "ru"),
    (
        "About 1.2 million people are without power.",
        "Близько 1,2 млн людей залишаються без світла.",
        "uk",
    ),
    (
        "The country has about 44 million people.",
        "Население страны — около 44 миллионов человек.",
        "ru",
    ),
    ("Revenue reached 1 trillion roubles.", "Выручка достигла триллиона рублей.", "ru"),
    ("Two-thirds of respondents agreed.", "Две трети респондентов согласились.", "ru"),
    (
        "The company hired 2,500 people in the first quarter.",
        "В первом квартале компания наняла 2,5 тыс. человек.",
        "ru",
    ),
    ("The bill costs $1bn a year.", "Законопроект обойдётся в $1 млрд в год.", "ru"),
    (
        "The ceasefire took effect at midnight on Sunday.",
        "Перемирие вступило в силу в полночь на воскресенье.",
        "ru",
    ),
    ("The election is on Oct. 27.", "Вибори відбудуться 27 жовтня.", "uk"),
    ("The May 9 parade was cancelled.", "Парад 9 мая отменён.", "ru"),
    ("Prime Minister Theresa May visited Kyiv.", "Премьер-министр Тереза Мэй посетила Киев.", "ru"),
    (
        "Prime Minister May said on Monday that talks would go on.",
        "Премьер-министр Мэй заявила в понедельник, что переговоры продолжатся.",
        "ru",
    ),
    ("Officials will meet in May and June.", "Чиновники встретятся в мае и июне.", "ru"),
    ("Officials will meet in May and June.", "Посадовці зустрінуться у травні та червні.", "uk"),
    ("Markets closed Friday at 5 p.m.", "Рынки закрылись в пятницу в 17:00.", "ru"),
    (
        "The Sept. 11 attacks killed nearly 3,000 people.",
        "Теракты 11 сентября унесли жизни почти 3 тысяч человек.",
        "ru",
    ),
    ("He ran the 100m in 9.58 seconds.", "Він пробіг 100 м за 9,58 секунди.", "uk"),
    ("A $1.5m fine was imposed.", "Был назначен штраф в 1,5 млн долларов.", "ru"),
    ("Hundreds of thousands lost power.", "Сотні тисяч людей залишилися без світла.", "uk"),
    ("Tens of millions of dollars", "Десятки миллионов долларов", "ru"),
    ("A billion dollars was spent.", "Было потрачено миллиард долларов.", "ru"),
    ("He is a billionaire.", "Он миллиардер.", "ru"),
    ("In the first half of 2023 exports fell.", "У першому півріччі 2023 року експорт упав.", "uk"),
    (
        "Sunday's vote was the first since 2019.",
        "Голосування в неділю стало першим з 2019 року.",
        "uk",
    ),
    (
        "The parliament meets on Tuesdays and Thursdays.",
        "Парламент собирается по вторникам и четвергам.",
        "ru",
    ),
    (
        "The parliament meets on Tuesdays and Thursdays.",
        "Парламент засідає щовівторка та щочетверга.",
        "uk",
    ),
    (
        "Exports rose between January and March.",
        "Експорт зріс у період із січня по березень.",
        "uk",
    ),
    ("Exports rose between January and March.", "С января по март экспорт вырос.", "ru"),
    ("In the week to Nov. 5 prices rose.", "За неделю до 5 ноября цены выросли.", "ru"),
    ("It happened on Thursday, Feb. 24.", "Это случилось в четверг, 24 февраля.", "ru"),
    ("It happened on Thursday, Feb. 24.", "Це сталося в четвер, 24 лютого.", "uk"),
    ("The fierce battle began in February.", "Лютий бій розпочався в лютому.", "uk"),
    ("Fierce fighting continued on Monday.", "Люті бої тривали в понеділок.", "uk"),
    ("From Monday, shops open at 8.", "С понедельника магазины открываются в 8.", "ru"),
    (
        "The hearing was moved to Wednesday's session.",
        "Слушание перенесли на заседание в среду.",
        "ru",
    ),
    ("Twelve people died.", "Погибли двенадцать человек.", "ru"),
    ("Both leaders spoke on Wednesday.", "Обидва лідери виступили в середу.", "uk"),
    ("The year 2023 was the hottest.", "2023-й год стал самым жарким.", "ru"),
    ("Inflation slowed in April to 12%.", "Інфляція у квітні сповільнилася до 12%.", "uk"),
]

NEWS_BAD = [
    (
        "Russia fired 40 missiles overnight into Saturday.",
        "В ночь на воскресенье Россия выпустила 40 ракет.",
        "ru",
    ),
    ("The election is on Oct. 27.", "Вибори відбудуться 27 листопада.", "uk"),
    ("Thousands of people gathered.", "Сотни людей собрались.", "ru"),
    ("Revenue reached 1 trillion roubles.", "Выручка достигла миллиарда рублей.", "ru"),
    ("The company hired 2,500 people.", "Компания наняла 2,5 млн человек.", "ru"),
    ("Officials will meet in May and June.", "Чиновники встретятся в мае.", "ru"),
    ("Exports rose between January and March.", "Експорт зріс у період із січня по квітень.", "uk"),
    ("It happened on Thursday, Feb. 24.", "Це сталося в п'ятницю, 24 лютого.", "uk"),
]

GOOD = CALENDAR_GOOD + MAGNITUDES_GOOD + NUMBER_WORDS_GOOD + NEWS_GOOD + CLOCK_GOOD
BAD = CALENDAR_BAD + MAGNITUDES_BAD + NUMBER_WORDS_BAD + NEWS_BAD + CLOCK_BAD


@pytest.mark.parametrize(("source", "target", "lang"), GOOD)
def test_a_correct_translation_in_any_form_raises_no_numbers_flag(source, target, lang):
    assert numbers_flag(source, target, lang) is None


@pytest.mark.parametrize(("source", "target", "lang"), BAD)
def test_a_changed_or_dropped_weekday_month_magnitude_or_number_word_is_an_error(
    source, target, lang
):
    (finding,) = [f for f in run_checks(Pair(source, target, lang)) if f.code == "numbers"]
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "lang", "values"),
    [
        ("сорок два человека", "ru", {42}),
        ("тысяча двести человек", "ru", {1200}),
        ("пять-шесть человек", "ru", {5, 6}),
        ("двух с половиной миллионов", "ru", {2500000}),
        ("у ХХІ ст.", "uk", {21}),  # Cyrillic Х and І
        ("трёхтысячный контингент", "ru", {3000}),
        ("11 сентября", "ru", set()),
    ],
)
def test_a_run_of_number_words_stands_for_its_whole_numbers_only(text, lang, values):
    assert word_numbers(text, lang) == values


def test_a_changed_weekday_names_both_days():
    message = numbers_flag(WED, "Переговоры возобновились в четверг.", "ru")
    assert message == (
        "The English has Wednesday, missing in the translation; "
        "the translation has четверг (Thursday), not in the English."
    )


def test_a_dropped_magnitude_names_the_full_figure():
    message = numbers_flag(DEAL, "Угода коштує 500 доларів.", "uk")
    assert message == (
        "The English has 500 million, missing in the translation; "
        "the translation has 500, not in the English."
    )


@pytest.mark.parametrize(
    ("text", "lang", "days", "month_numbers"),
    [
        ("Wed, Nov. 3 and Wednesday", "en", {3}, {11}),
        ("Theresa May met Black Friday shoppers in May.", "en", set(), {5}),
        ("в понедельник, понедельника, по понедельникам", "ru", {1}, set()),
        ("у понеділок, з понеділка, щопонеділка", "uk", {1}, set()),
        ("ноября, листопада, у листопаді", "ru", set(), {11}),
        ("ноября, листопада, у листопаді", "uk", set(), {11}),
        ("люті бої у середовищі, серед людей", "uk", set(), set()),
    ],
)
def test_weekdays_and_months_are_read_in_every_form(text, lang, days, month_numbers):
    assert weekdays(text, lang) == days
    assert months(text, lang) == month_numbers


# A paragraph ending in a number word crashed the check (and every save with it).
ENDS_IN_A_NUMBER_WORD = [
    ("There were five.", "Их было пять", "ru"),
    ("It was the first", "Це був перший", "uk"),
    ("one", "один", "ru"),
    ("half", "половина", "uk"),
    ("twenty", "двадцять", "uk"),
    ("Half a", "Пол", "ru"),
]


@pytest.mark.parametrize(("source", "target", "lang"), ENDS_IN_A_NUMBER_WORD)
def test_a_paragraph_ending_in_a_number_word_is_checked_without_crashing(source, target, lang):
    assert numbers_flag(source, target, lang) is None


NUMBERISH = st.sampled_from(
    [*"0123456789 ,.:-/x×%$€£'’\u00a0IVXLC", "one", " a ", "half", " million", "bn", " млн",
     "пять", "first", "twenty", "٣", "p.m.", " тыс.", "Wed", "Nov.", "May", " середу", " пол",
     "півтора", " с половиной", "Monday", "лютого"]
)  # fmt: skip
TEXT = st.text(max_size=80) | st.lists(NUMBERISH, max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT, st.sampled_from(["ru", "uk"]))
def test_the_numbers_check_never_raises_on_any_text(source, target, lang):
    assert isinstance(numbers_flag(source, target, lang), str | None)
    for language in ("en", lang):
        figures(target, language)
        word_numbers(target, language)
        weekdays(target, language)
        months(target, language)
        magnitude_words_alone(target, language)
    counted_numbers(source)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_every_word_is_read_with_one_apostrophe_and_its_magnitude_found_or_not(text):
    for word in WORD.findall(text):
        assert not set(normalise(word)) & set("’‘ʼʹ`")
        assert "ё" not in lookup_key(word)
        assert scale_of(word) in (None, 10**3, 10**6, 10**9, 10**12)


@pytest.mark.parametrize("word", ["п'ятниця", "п’ятниця", "п‘ятниця", "пʼятниця", "пʹятниця"])
def test_every_apostrophe_a_translator_types_is_one_spelling(word):
    assert lookup_key(word) == "п'ятниця"


def test_latin_look_alikes_and_yo_are_read_as_the_tables_spell_them():
    assert lookup_key("Мiнiстр") == "міністр"  # a Latin i typed for і
    assert normalise("трёх") == "трёх"  # ё is evidence of Russian
    assert lookup_key("трёх") == "трех"


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Five people died.", {"Five": 5}),
        ("Three British soldiers were wounded.", {"Three": 3}),
        ("The Big Three met.", {}),
        ("He backed a two-state solution.", {}),
        ("Two of the three suspects", {"three": 3}),
        ("There were five.", {}),
        ("The two sides agreed.", {}),  # «Стороны договорились»: "two" is often left implicit
    ],
)
def test_a_spelled_number_is_required_where_it_counts_a_noun(text, counted):
    assert counted_numbers(text) == counted


def _real_pairs() -> list[tuple[str, str, str]]:
    path = Path(__file__).parent / "data" / "check_cases.json"
    cases = json.loads(path.read_text(encoding="utf-8"))
    held_out = [(c["source"], c["target"], c["lang"]) for c in cases if c["kind"] == "correct"]
    return GOOD + BAD + held_out[::4]


def test_real_sentences_cut_at_every_token_boundary_never_raise():
    for source, target, lang in _real_pairs():
        source_words, target_words = source.split(" "), target.split(" ")
        for cut in range(max(len(source_words), len(target_words)) + 1):
            for english, translation in [
                (" ".join(source_words[:cut]), " ".join(target_words[:cut])),
                (" ".join(source_words[cut:]), " ".join(target_words[cut:])),
            ]:
                assert isinstance(numbers_flag(english, translation, lang), str | None)

"""Names, roles and descriptions the benchmarks draw their synthetic people from."""

FIRST = (
    "Aigerim Alexandra Asel Bakyt Daniyar Dilnoza Dana Farrukh Gulnara Ilyas Kamila Marat "
    "Nargiza Nurlan Olga Pavel Rustam Saule Sergei Timur Ulugbek Yerlan Zarina Anna Giorgi "
    "Nino Levan Tamar Armen Ani Gohar Aram Elnur Leyla Rashad Sabina Ahmad Farida Hamid Mariam "
    "Shabnam Zaher Bahodir Dilshod Gulchehra Jamshid Mohira Sherzod Umida Aziz"
).split()

LAST = (
    "Abdullaev Akhmetov Bekova Dosmukhamedov Duvanov Ermekova Ibraimov Kadyrov Karimova "
    "Kazakova Khudyakov Nazarov Nurlanova Odinaeva Rakhimov Sadykova Sarsenova Shumkin "
    "Temirbekova Usmanov Yusupova Zhakupov Zhovtis Beridze Kapanadze Lomidze Tsereteli "
    "Grigoryan Harutyunyan Petrosyan Sargsyan Aliyev Huseynova Mammadov Rahimi Sultani "
    "Haidari Noori Ergashev Yuldasheva Tursunov Mirzaeva Saidov Hakimova Juraev Tashkentova "
    "Omarov Ismailova Kurbanov Valiev"
).split()

ROLES = (
    "IWPR’s country director in Kazakstan",
    "IWPR Central Asia editor",
    "an IWPR contributor in Bishkek",
    "a freelance journalist in Dushanbe",
    "an IWPR-trained reporter in Tbilisi",
)

DESCRIPTIONS = (
    "a lawyer in Almaty",
    "head of a local human rights group",
    "an economist at the national university",
    "a member of the regional council",
    "director of an independent think tank",
    "a political analyst",
    "a spokesman for the interior ministry",
)
